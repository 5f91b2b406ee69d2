import { APPS, AppName, isApp, sourceTag } from "../../apps/builds";
import type { AppImageConfig, ImagesConfig } from "../images";
import { LOCAL_IMAGE_DOMAIN } from "../images";
import { mergeEntries } from "../merge";
import { Node, show } from "../reader";
import type { Versions } from "../versions";

export const IMAGE_KEYS = ["build", "image", "platform"];
const PLATFORMS = ["linux/amd64", "linux/arm64"] as const;

/** Every app under apps/ is built unless the stack names a prebuilt image for it. */
const DEFAULT_IMAGES = Object.fromEntries(Object.keys(APPS).map((a) => [a, {}]));

/** k3d runs on this machine, so build for it; a cloud node is amd64 unless the stack says otherwise. */
export function defaultPlatform(clusterKind: string, arch: string = process.arch): string {
    if (clusterKind !== "k3d") return "linux/amd64";
    return arch === "arm64" ? "linux/arm64" : "linux/amd64";
}

/** `istio-mesh:images`: per app (`servicex`), `{build: true}` (default) or `{image: <pinned ref>}`. */
export function parseImages(n0: Node, versions: Versions, clusterKind: string): ImagesConfig {
    const n = new Node(n0.problems, n0.path, mergeEntries(DEFAULT_IMAGES, n0.value));
    const out: ImagesConfig = {};
    for (const [app, a] of n.entries()) {
        if (!isApp(app)) {
            n.problems.add(a.path, `there is no app ${show(app)} under apps/; the program builds: ${Object.keys(APPS).join(", ")}`);
            continue;
        }
        a.object(IMAGE_KEYS);
        const imageN = a.child("image");
        const build = a.child("build").bool(!imageN.isSet);
        if (imageN.isSet && build) {
            n.problems.add(a.path, `build: true and image are alternatives; set image to a prebuilt pinned reference (and drop build), or build: true to build apps/${app}`);
        }
        if (!imageN.isSet && !build) {
            n.problems.add(a.path, `build is false but no image is given; set image to a prebuilt pinned reference (e.g. registry.example.com/${app}:1.0.0), or build: true`);
        }
        if (imageN.isSet && a.child("platform").isSet) n.problems.add(`${a.path}.platform`, `only applies when the program builds the image (build: true)`);
        out[app] = imageN.isSet ? { kind: "prebuilt", app, ref: imageN.image("") } : built(app, a, versions, clusterKind);
    }
    return out;
}

function built(app: AppName, a: Node, versions: Versions, clusterKind: string): AppImageConfig {
    const dir = APPS[app].dir;
    const baseImage = versions[APPS[app].baseImage];
    const tag = sourceTag(app, baseImage);
    return {
        kind: "build",
        app,
        context: dir,
        dockerfile: `${dir}/Dockerfile`,
        platform: a.child("platform").oneOf(defaultPlatform(clusterKind), PLATFORMS),
        baseImage,
        tag,
        ref: `${LOCAL_IMAGE_DOMAIN}/${app}:${tag}`,
    };
}
