/**
 * The environment contract of each app under apps/, checked at config time with the app's own parser,
 * so a bad value (e.g. `error: "true"`) is a config error naming the path instead of a crash-loop.
 */
import { settingsFrom as servicexSettings } from "../apps/servicex/src/settings";

type Check = (env: Record<string, string>, containerPort: number) => string | undefined;

export const APP_ENV: Record<string, Check> = {
    servicex(env, containerPort) {
        let port: number;
        try {
            port = servicexSettings(env).port;
        } catch (e) {
            return (e as Error).message;
        }
        if (port !== containerPort) return `servicex listens on PORT ${port}, but containerPort is ${containerPort}; set both to the same port`;
        return undefined;
    },
};
