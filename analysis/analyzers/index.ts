import type { AnalysisContext } from "../context";
import type { Finding } from "../finding";
import type { Analyzer } from "./analyzer";
import { ConflictingMeshGatewayVirtualServiceHosts } from "./ConflictingMeshGatewayVirtualServiceHosts";
import { DestinationRuleSubsetNotSelectPods } from "./DestinationRuleSubsetNotSelectPods";
import { DuplicateSubsetInRoute } from "./DuplicateSubsetInRoute";
import { GatewayErrorsMissServerErrors } from "./GatewayErrorsMissServerErrors";
import { GatewayPortNotDefinedOnService } from "./GatewayPortNotDefinedOnService";
import { IngressRouteRulesNotAffected } from "./IngressRouteRulesNotAffected";
import { PolicyBypassedByNodePort } from "./PolicyBypassedByNodePort";
import { ReferencedResourceNotFound } from "./ReferencedResourceNotFound";
import { RetriesHideAbortFault } from "./RetriesHideAbortFault";
import { StickySessionsAcrossWeightedSubsets } from "./StickySessionsAcrossWeightedSubsets";
import { VirtualServiceHostNotFoundInGateway } from "./VirtualServiceHostNotFoundInGateway";
import { DestinationRuleHostNotFound } from "./DestinationRuleHostNotFound";
import { ServiceSelectsNoPods } from "./ServiceSelectsNoPods";
import { SubsetsSelectSamePods } from "./SubsetsSelectSamePods";
import { AmbientNamespaceAlsoInjected } from "./AmbientNamespaceAlsoInjected";
import { AuthorizationPolicyL7AtZtunnel } from "./AuthorizationPolicyL7AtZtunnel";
import { IneffectivePolicy } from "./IneffectivePolicy";
import { FaultInjectionWithoutAmbientPath } from "./FaultInjectionWithoutAmbientPath";
import { EnvoyFilterWithoutAmbientPath } from "./EnvoyFilterWithoutAmbientPath";
import { SourceLabelsDroppedByWaypoint } from "./SourceLabelsDroppedByWaypoint";
import { VirtualServiceOnWaypoint } from "./VirtualServiceOnWaypoint";

export const ANALYZERS: Analyzer[] = [
    ReferencedResourceNotFound,
    ConflictingMeshGatewayVirtualServiceHosts,
    VirtualServiceHostNotFoundInGateway,
    IngressRouteRulesNotAffected,
    GatewayPortNotDefinedOnService,
    DestinationRuleSubsetNotSelectPods,
    DuplicateSubsetInRoute,
    StickySessionsAcrossWeightedSubsets,
    RetriesHideAbortFault,
    GatewayErrorsMissServerErrors,
    PolicyBypassedByNodePort,
    SubsetsSelectSamePods,
    ServiceSelectsNoPods,
    DestinationRuleHostNotFound,
    // The ambient data plane (docs/ambient.md): its traps and what has no supported path there.
    AmbientNamespaceAlsoInjected,
    AuthorizationPolicyL7AtZtunnel,
    IneffectivePolicy,
    FaultInjectionWithoutAmbientPath,
    EnvoyFilterWithoutAmbientPath,
    SourceLabelsDroppedByWaypoint,
    VirtualServiceOnWaypoint,
];

export function analyzerFindings(ctx: AnalysisContext): Finding[] {
    return ANALYZERS.flatMap((a) => a.analyze(ctx));
}
