/**
 * What the program asks of the machine it runs on, in one place. Under mocks (render, tests) nothing
 * is asked: runUnderMocks puts OFFLINE in place, so a render is the same on every machine.
 */
import { DockerEndpoint, dockerEndpointHere } from "./dockerEndpoint";

export interface Machine {
    /** The Docker daemon the Docker CLI uses (stacks/dockerEndpoint.ts). */
    dockerEndpoint(): DockerEndpoint | undefined;
}

export const THIS_MACHINE: Machine = { dockerEndpoint: () => dockerEndpointHere() };
export const OFFLINE: Machine = { dockerEndpoint: () => undefined };

let current: Machine = THIS_MACHINE;

export function machine(): Machine {
    return current;
}

/** Puts `m` in place and returns the one it replaces. */
export function useMachine(m: Machine): Machine {
    const previous = current;
    current = m;
    return previous;
}
