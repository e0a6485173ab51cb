import * as tf from '@tensorflow/tfjs';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
const be = process.argv[2];
await tf.setBackend(be); await tf.ready();
const T=1500,d=256; const n=10;
const x = tf.randomNormal([T,d]); const w = tf.randomNormal([d,d],0,0.05);
const x4 = x.reshape([1,1,T,d]); const w4 = w.reshape([1,1,d,d]);
for (const [name,f] of [['matMul',()=>tf.matMul(x,w)],['conv2d1x1',()=>tf.conv2d(x4,w4,1,'valid')],['matMulT',()=>tf.matMul(x,w,false,true)]]) {
tf.tidy(()=>f().dataSync());
const c0=process.cpuUsage();
for(let i=0;i<n;i++){ tf.tidy(()=>f().dataSync()); }
const cpu=(process.cpuUsage(c0).user)/1e6; console.log(be,name,'GFLOP/s per cpu-s', (n*T*d*d*2/cpu/1e9).toFixed(2));
}
