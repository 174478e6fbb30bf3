export declare const chromiumPath: string;
export declare const chromiumArgs: string[];
export declare const chromiumArgsWithoutMediaGrant: string[];
/** Path of the 320×240, 15 fps Y4M clip the fake camera plays; also the camera's device label. */
export declare const fakeCameraClip: string;
export declare const chromiumArgsWithBuiltInCamera: string[];
/**
 * The flags with a 640×480, 15 fps fake camera clip: large enough for Chrome to send two simulcast layers.
 * `grain`: a new picture every frame, so the camera uses all the bitrate it may.
 */
export declare function chromiumArgsWithVgaClip(options?: { grain?: boolean }): string[];
