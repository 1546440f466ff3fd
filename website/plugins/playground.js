// Docusaurus plugin for the interactive LeNet-5 page (/playground): bundler settings it needs.
module.exports = function playgroundPlugin() {
  return { name: "lenet5-playground" };
};
