// /train: watch LeNet-5 learn. The page itself is static; the training view (a Web Worker with
// lenet5's whole-step engine, the digits the site serves) starts in the browser only.
import React from "react";
import Layout from "@theme/Layout";
import BrowserOnly from "@docusaurus/BrowserOnly";
import Link from "@docusaurus/Link";

export default function TrainPage(): React.JSX.Element {
  return (
    <Layout
      title="Watch LeNet-5 learn"
      description="The paper's LeNet-5 trains from its initialisation in your browser: loss, test accuracy, C1's kernels, every layer's maps and SDLM's step sizes, live."
    >
      <main className="container margin-vert--lg">
        <h1>Watch LeNet-5 learn</h1>
        <p>
          Press Start: the network of the paper — Table I's connections, trainable subsampling, the
          RBF output and its loss — trains from the paper's initialisation, here in your browser,
          with the paper's stochastic diagonal Levenberg–Marquardt method (or Adam). The training
          runs in a Web Worker on lenet5's WebAssembly engine, so the page stays responsive: draw a
          digit at any time and the model of the moment reads it. Nothing leaves this page: the
          digits, the initial weights and the engine are served with the site.
        </p>
        <BrowserOnly fallback={<p>Loading the training view…</p>}>
          {() => {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const TrainView = require("@site/src/components/TrainView").default;
            return <TrainView />;
          }}
        </BrowserOnly>
        <p>
          How it trains, and how fast:{" "}
          <Link to="/docs/playground#watch-it-learn">notes on the training view</Link>.
        </p>
      </main>
    </Layout>
  );
}
