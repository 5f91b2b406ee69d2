import type { Finding } from "../../finding";
import type { GatewayApiContext } from "../context";
import type { GatewayApiAnalyzer } from "./analyzer";
import { BackendNotFound } from "./BackendNotFound";
import { BackendPortNotFound } from "./BackendPortNotFound";
import { GatewayAPICRDVersionBelowMinimum } from "./GatewayAPICRDVersionBelowMinimum";
import { GatewayClassNotFound } from "./GatewayClassNotFound";
import { ListenerWithoutCertificate } from "./ListenerWithoutCertificate";
import { NoEffectiveBackends } from "./NoEffectiveBackends";
import { NoMatchingListenerHostname } from "./NoMatchingListenerHostname";
import { NoMatchingParent } from "./NoMatchingParent";
import { NotAllowedByListeners } from "./NotAllowedByListeners";
import { RefNotPermitted } from "./RefNotPermitted";

export const GATEWAY_API_ANALYZERS: GatewayApiAnalyzer[] = [
    BackendNotFound,
    BackendPortNotFound,
    RefNotPermitted,
    NoEffectiveBackends,
    NoMatchingParent,
    NoMatchingListenerHostname,
    NotAllowedByListeners,
    ListenerWithoutCertificate,
    GatewayClassNotFound,
    GatewayAPICRDVersionBelowMinimum,
];

export function gatewayApiAnalyzerFindings(ctx: GatewayApiContext): Finding[] {
    return GATEWAY_API_ANALYZERS.flatMap((a) => a.analyze(ctx));
}
