// /playground: the interactive LeNet-5. The page itself is static; the playground (tfjs, the
// shipped weights) loads in the browser only, so the server-side render never touches tfjs.
import React from "react";
import Layout from "@theme/Layout";
import BrowserOnly from "@docusaurus/BrowserOnly";
import Link from "@docusaurus/Link";
import Playground from "@site/src/components/Playground";

export default function PlaygroundPage(): React.JSX.Element {
  return (
    <Layout
      title="Interactive LeNet-5"
      description="Draw a digit and watch LeNet-5 (LeCun et al., 1998) classify it in your browser, layer by layer."
    >
      <main className="container margin-vert--lg">
        <h1>Interactive LeNet-5</h1>
        <p>
          Draw a digit. The network trained by lenet5 runs here, in your browser, with
          TensorFlow.js, every time the drawing changes: below are all its feature maps, the 84
          units of F6 beside the ten bitmaps the paper compares them with, and the answer. Switch to
          the modern twin to see how ReLU and max pooling change the picture. Nothing leaves this
          page: the weights and the WebAssembly kernels are served with the site.
        </p>
        <BrowserOnly fallback={<p>Loading the playground…</p>}>{() => <Playground />}</BrowserOnly>
        <p>
          How the page works, and how fast it runs:{" "}
          <Link to="/docs/playground">notes on the playground</Link>.
        </p>
      </main>
    </Layout>
  );
}
