/**
 * What the program asks of the machine it runs on, in one place. Under mocks (render, tests) nothing
 * is asked: runUnderMocks puts OFFLINE in place, so a render is the same on every machine.
 */
import { HOST_LOGIN_ENV } from "../mesh/k3d/registryCache";
import { DockerEndpoint, dockerEndpointHere } from "./dockerEndpoint";

export interface DockerHubCredentials {
    username: string;
    password: string;
}

export interface Machine {
    /** The Docker daemon the Docker CLI uses (stacks/dockerEndpoint.ts). */
    dockerEndpoint(): DockerEndpoint | undefined;
    /**
     * The user's own Docker Hub login for the registry cache, as `up`, `preview` and `lab run` read it
     * from the host's Docker config (engine/dockerHubLogin.ts) and pass it in the engine's environment.
     */
    dockerHubLogin(): DockerHubCredentials | undefined;
}

function hostLoginFromEnv(env: Record<string, string | undefined>): DockerHubCredentials | undefined {
    const username = env[HOST_LOGIN_ENV.username];
    const password = env[HOST_LOGIN_ENV.password];
    return username && password ? { username, password } : undefined;
}

export const THIS_MACHINE: Machine = { dockerEndpoint: () => dockerEndpointHere(), dockerHubLogin: () => hostLoginFromEnv(process.env) };
export const OFFLINE: Machine = { dockerEndpoint: () => undefined, dockerHubLogin: () => undefined };

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
