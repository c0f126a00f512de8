/** Absolute path of the adapter-node output (`web/build`); `handler.js` inside it is the web UI. */
export declare const webBuildDir: string;
