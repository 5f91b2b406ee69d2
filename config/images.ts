/** The validated model of `istio-mesh:images`: per app under apps/, build it from source or use a prebuilt image. */

/** Built from `apps/<app>` by the program (@pulumi/docker), tagged by content. */
export interface BuiltAppImage {
    kind: "build";
    app: string;
    /** Build context and Dockerfile, relative to the project root (where Pulumi runs the program). */
    context: string;
    dockerfile: string;
    /** One platform only: k3d's image import fails on multi-platform images (k3d#1538). */
    platform: string;
    /** Build arg NODE_IMAGE: the pinned base image (versions.servicexBaseImage). */
    baseImage: string;
    /** Content tag, e.g. `src-0123456789ab` (apps/builds.ts). */
    tag: string;
    /**
     * What the plan's Deployments name: `istio-mesh.local/<app>:<tag>`. On k3d this is the image as imported;
     * the `.local` domain means a missing import fails to pull instead of fetching a stranger's image.
     * With a registry, the component pushes `<repository>:<tag>` and substitutes it.
     */
    ref: string;
}

/** A user-supplied, pinned image: nothing is built. */
export interface PrebuiltAppImage {
    kind: "prebuilt";
    app: string;
    ref: string;
}

export type AppImageConfig = BuiltAppImage | PrebuiltAppImage;

/** By app name (e.g. `servicex`). */
export type ImagesConfig = Record<string, AppImageConfig>;

/** Registry domain of the images the program builds for k3d (never resolvable, see BuiltAppImage.ref). */
export const LOCAL_IMAGE_DOMAIN = "istio-mesh.local";
