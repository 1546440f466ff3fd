// Docusaurus plugin for the interactive LeNet-5 page (/playground): the bundler settings it needs.
// The page imports lenet5's browser entry (lenet5/browser, dist/browser.js), which reaches no Node module
// (src/browser.test.ts holds it to that).
module.exports = function playgroundPlugin() {
  return {
    name: "lenet5-playground",
    configureWebpack(_config, isServer) {
      if (isServer) return {};
      // tfjs-backend-wasm's Emscripten loader reads __dirname/__filename only under Node;
      // mocking them is right for the browser, and saying so silences the bundler's warning.
      return { node: { __dirname: "mock", __filename: "mock" } };
    },
  };
};
