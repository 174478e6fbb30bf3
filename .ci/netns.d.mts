export declare function isInsidePrivateNetwork(marker: string): boolean;
export declare function rerunInPrivateNetwork(
  marker: string,
  args?: readonly string[],
): { readonly status: number } | { readonly unavailable: string };
