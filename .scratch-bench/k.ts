import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import "../src/tfjs/conv2d-backprop-filter";
import { Rng } from "../src/rng";
function rand(n: number, rng: Rng) { const a = new Float32Array(n); for (let i=0;i<n;i++) a[i]=rng.uniform(-1,1); return a; }
async function grad(backend: string, xs: number[], ws: number[], xv: Float32Array, wv: Float32Array, rv: Float32Array, stride: number, pad: any) {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const x = tf.tensor4d(xv, xs as any), w = tf.tensor4d(wv, ws as any);
    const y0 = tf.conv2d(x, w, stride, pad);
    const r = tf.tensor(rv.subarray(0, y0.size), y0.shape);
    const g = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, stride, pad), r)));
    const [dx, dw] = g([x, w]);
    return [dx.dataSync().slice(), dw.dataSync().slice()];
  });
}
(async () => {
  const rng = new Rng(1);
  const cases: [number[], number[], number, any][] = [[[8,32,32,1],[5,5,1,6],1,"valid"],[[4,14,14,6],[5,5,6,16],1,"valid"],[[4,5,5,16],[5,5,16,120],1,"valid"],[[4,28,28,1],[5,5,1,6],1,"same"],[[4,28,28,1],[5,5,1,6],1,2],[[3,13,13,3],[3,3,3,4],2,"valid"],[[3,13,12,3],[3,3,3,4],2,"same"],[[3,14,14,3],[4,4,3,4],3,1],[[2,9,9,2],[3,3,2,2],2,[[0,0],[1,2],[0,1],[0,0]]]];
  for (const [xs, ws, s, p] of cases) {
    const xv = rand(xs.reduce((a,b)=>a*b), rng), wv = rand(ws.reduce((a,b)=>a*b), rng), rv = rand(1e6, rng);
    const [dxc, dwc] = await grad("cpu", xs, ws, xv, wv, rv, s, p);
    const before = tf.memory().numTensors;
    const [dxw, dww] = await grad("wasm", xs, ws, xv, wv, rv, s, p);
    let m = 0, mx = 0, mag=0; for (let i=0;i<dwc.length;i++){ m=Math.max(m,Math.abs(dwc[i]-dww[i])); mag=Math.max(mag,Math.abs(dwc[i]));}
    for (let i=0;i<dxc.length;i++) mx=Math.max(mx,Math.abs(dxc[i]-dxw[i]));
    console.log(JSON.stringify(xs), JSON.stringify(ws), s, JSON.stringify(p), "dW maxdiff", m.toExponential(2), "max|dW|", mag.toFixed(2), "dx maxdiff", mx.toExponential(2), "tensors", before, tf.memory().numTensors);
  }
  // timing C1 batch 64
  await tf.setBackend("wasm");
  for (const [xs, dys, fs] of [[[64,32,32,1],[64,28,28,6],[5,5,1,6]],[[64,14,14,6],[64,10,10,16],[5,5,6,16]],[[64,5,5,16],[64,1,1,120],[5,5,16,120]]] as number[][][]) {
  for (const be of ["wasm","cpu"]) {
    await tf.setBackend(be);
    const x = tf.tensor4d(rand(xs.reduce((a,b)=>a*b), rng), xs as any), dy = tf.tensor4d(rand(dys.reduce((a,b)=>a*b), rng), dys as any);
    const run = () => { const o = tf.engine().runKernel("Conv2DBackpropFilter", {x, dy}, {strides:[1,1], pad:"valid", dataFormat:"NHWC", filterShape: fs} as any) as tf.Tensor; o.dataSync(); o.dispose(); };
    run();
    const times: number[] = [];
    for (let i=0;i<(be==="cpu"?3:20);i++){ const t0=performance.now(); run(); times.push(performance.now()-t0); }
    times.sort((a,b)=>a-b);
    console.log(be, JSON.stringify(xs), "median ms", times[times.length>>1].toFixed(2), "min", times[0].toFixed(2), "max", times[times.length-1].toFixed(2));
    x.dispose(); dy.dispose();
  }}
  console.log(tf.memory().numTensors);
})();
