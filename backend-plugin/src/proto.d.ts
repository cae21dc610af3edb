/** esbuild's text loader turns a .proto import into its text (see scripts/build.mjs). */
declare module '*.proto' {
  const text: string;
  export default text;
}
