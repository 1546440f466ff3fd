// The landing page: what lenet5 is, the two commands that start it, the chapters, and the ways in
// (playground, fidelity ledger, API). Chapters and measured counts come from files written at
// build time by scripts/notebooks-to-pages.mjs and scripts/fidelity-ledger.mjs.
import type { ReactNode } from "react";
import Link from "@docusaurus/Link";
import useBaseUrl from "@docusaurus/useBaseUrl";
import Layout from "@theme/Layout";
import CodeBlock from "@theme/CodeBlock";
import Heading from "@theme/Heading";
import chapters from "@site/src/generated/chapters.json";
import ledger from "@site/src/generated/ledger-summary.json";
import styles from "./index.module.css";

const COMMANDS = `npm ci && npm start   # open the notebooks in Jupyter
npm ci && npm test    # run every test`;

interface Chapter {
  id: string;
  title: string;
  label: string;
  description: string;
  summary: string;
  path: string;
}

function Card({
  to,
  kicker,
  title,
  children,
}: {
  to: string;
  kicker: string;
  title: string;
  children: ReactNode;
}): ReactNode {
  return (
    <Link to={to} className={styles.card}>
      <div className={styles.cardKicker}>{kicker}</div>
      <div className={styles.cardTitle}>{title}</div>
      <p className={styles.cardText}>{children}</p>
    </Link>
  );
}

export default function Home(): ReactNode {
  const list = chapters as Chapter[];
  return (
    <Layout
      title="LeNet-5 in TypeScript"
      description="lenet5: the paper's LeNet-5 to the last parameter, in TypeScript, with executed notebooks, a fidelity ledger and an interactive model."
    >
      <header className={styles.hero}>
        <div className={`container ${styles.heroInner}`}>
          <div>
            <Heading as="h1" className={styles.title}>
              lenet5
            </Heading>
            <p className={styles.lead}>
              LeNet-5 — the convolutional network of LeCun, Bottou, Bengio and Haffner,{" "}
              <em>Gradient-Based Learning Applied to Document Recognition</em> (1998) — rebuilt in
              TypeScript to be read, run and taken apart: every layer of the paper, its sparse C3
              wiring, scaled tanh, RBF output and loss, written twice (plain TypeScript with the
              backward pass beside the forward, and a fast TensorFlow.js layer), with a modern twin
              to compare.
            </p>
            <div className={styles.actions}>
              <Link className="button button--primary" to={list[0]?.path ?? "/docs/notebooks"}>
                Start the tour
              </Link>
              <Link className="button button--secondary" to="/docs/getting-started">
                Getting started
              </Link>
              <Link className="button button--secondary" to="/playground">
                Draw a digit
              </Link>
            </div>
          </div>
          <div className={styles.commands}>
            <CodeBlock language="bash" title="Two commands">
              {COMMANDS}
            </CodeBlock>
            <p className={styles.commandsNote}>
              Node 20.19 or newer. <code>npm start</code> provisions Jupyter and the TypeScript
              kernel inside the project and prints the local URL.{" "}
              <Link to="/docs/getting-started">What they do, step by step</Link>.
            </p>
          </div>
        </div>
      </header>

      <main>
        <section className={styles.section}>
          <div className="container">
            <img
              src={useBaseUrl("/generated/architecture.svg")}
              alt="LeNet-5's layers after the paper's Fig. 2: INPUT 32×32, C1 6@28×28, S2 6@14×14, C3 16@10×10, S4 16@5×5, C5 120, F6 84, OUTPUT 10, with convolutions, subsampling, full and Gaussian connections between them"
              style={{ width: "100%", maxWidth: 900, display: "block", margin: "0 auto" }}
            />
          </div>
        </section>

        <section className={styles.section}>
          <div className="container">
            <div className={styles.facts}>
              <div className={styles.fact}>
                <div className={styles.factValue}>{ledger.totalParams}</div>
                <div className={styles.factLabel}>trainable parameters, as in the paper</div>
              </div>
              <div className={styles.fact}>
                <div className={styles.factValue}>{ledger.totalConnections}</div>
                <div className={styles.factLabel}>connections, as in the paper</div>
              </div>
              <div className={styles.fact}>
                <div className={styles.factValue}>{ledger.c3Connections}</div>
                <div className={styles.factLabel}>S2 → C3 connections, wired by Table I</div>
              </div>
              <div className={styles.fact}>
                <div className={styles.factValue}>
                  {ledger.match} / {ledger.rows}
                </div>
                <div className={styles.factLabel}>
                  fidelity ledger rows that match the paper; {ledger.departure} departures, each
                  explained
                </div>
              </div>
            </div>
          </div>
        </section>

        <section className={styles.section}>
          <div className="container">
            <Heading as="h2" className={styles.sectionTitle}>
              The chapters
            </Heading>
            <p className={styles.sectionLead}>
              One executed notebook per part of the network, from the raw MNIST bytes to training
              with the paper&apos;s own optimiser. Every output on these pages comes from running
              them.
            </p>
            <div className={styles.grid}>
              {list.map((chapter, i) => (
                <Card
                  key={chapter.id}
                  to={chapter.path}
                  kicker={`Chapter ${i}`}
                  title={chapter.label.replace(/^\d+\s*·\s*/, "")}
                >
                  {chapter.summary}
                </Card>
              ))}
            </div>
          </div>
        </section>

        <section className={`${styles.section} margin-bottom--xl`}>
          <div className="container">
            <Heading as="h2" className={styles.sectionTitle}>
              Check it, use it
            </Heading>
            <p className={styles.sectionLead}>How close to the paper, and how to build on it.</p>
            <div className={styles.gridWide}>
              <Card to="/playground" kicker="Interactive" title="Playground">
                Draw a digit and watch every layer read it, in your browser.
              </Card>
              <Card to="/train" kicker="Live" title="Watch it learn">
                The paper&apos;s network trains from scratch in your browser.
              </Card>
              <Card to="/docs/fidelity-ledger" kicker="Fidelity" title="Fidelity ledger">
                The paper against lenet5, row by row, measured when the site is built.
              </Card>
              <Card to="/docs/training" kicker="Results" title="Training and benchmark">
                How the shipped weights were trained, and how fast lenet5 runs.
              </Card>
              <Card to="/docs/api" kicker="Reference" title="API">
                Every exported function, class and constant, from the library&apos;s own TSDoc.
              </Card>
              <Card to="/docs/architecture" kicker="Design" title="Architecture">
                How the code is laid out, from the data to the site.
              </Card>
            </div>
          </div>
        </section>
      </main>
    </Layout>
  );
}
