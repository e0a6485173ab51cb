import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
await tf.setBackend(process.argv[2]); await tf.ready();
const d=256;
for (const T of [16, 256, 1500]) {
const x = tf.randomNormal([T,d]); const y = tf.randomNormal([T,d]);
for (const [nm,f] of [['add',()=>tf.add(x,y)],['mul',()=>tf.mul(x,y)],['sigmoid',()=>tf.sigmoid(x)],['relu',()=>tf.relu(x)]]) {
  for(let i=0;i<20;i++) tf.tidy(f);
  const c0=process.cpuUsage(); const n=100;
  for(let i=0;i<n;i++){ tf.tidy(f); }
  console.log(nm,T,'us/op', (process.cpuUsage(c0).user/n).toFixed(1), 'ns/elem', (process.cpuUsage(c0).user*1000/n/(T*d)).toFixed(2));
}}
