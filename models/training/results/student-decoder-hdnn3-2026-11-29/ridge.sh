cd /work/main
L=models/training/data/lists; S=$L/dev_arctic_native.tsv,$L/dev_speechocean762.tsv,$L/dev_librivox.tsv,$L/dev_ljspeech_coqui.tsv,$L/dev_an4_nemo.tsv,$L/dev_fsdd.tsv,$L/dev_voxforge_en.tsv
for spec in "0.5 0.5,1,1.5" "0.7 2.5,3,3.5" "0.9 3.5,4,4.5" "1.1 4.5,5,5.5"; do
  set -- $spec
  nice -n 2 node --import tsx models/lm/tune-decoder.ts --model student --sets $S --half tune --beam 64 --weights $1 --bonuses $2 --out /tmp/tune/ridge_$1.json
done
