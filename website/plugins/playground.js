// Docusaurus plugin for the interactive LeNet-5 page (/playground): the bundler settings it needs.
// The page imports lenet5's browser entry (dist/browser.js). That entry re-exports imageToMnist
// from dist/data/image-file.js, whose Node-only neighbours (readImageFile's `node:fs`, the PNG
// codec's `node:zlib`) are never called in a browser: in the client bundle they become empty
// modules instead of failing the build. The server build (Node) keeps the real modules.
const NODE_ONLY = ["fs", "zlib"];

module.exports = function playgroundPlugin() {
  return {
    name: "lenet5-playground",
    configureWebpack(_config, isServer, utils) {
      if (isServer) return {};
      const { NormalModuleReplacementPlugin } = utils.currentBundler.instance;
      const nodeScheme = new RegExp(`^node:(${NODE_ONLY.join("|")})$`);
      return {
        plugins: [
          new NormalModuleReplacementPlugin(nodeScheme, (resource) => {
            resource.request = resource.request.replace(/^node:/, "");
          }),
        ],
        resolve: { fallback: Object.fromEntries(NODE_ONLY.map((name) => [name, false])) },
        // tfjs-backend-wasm's Emscripten loader reads __dirname/__filename only under Node;
        // mocking them is right for the browser, and saying so silences the bundler's warning.
        node: { __dirname: "mock", __filename: "mock" },
      };
    },
  };
};
