cd /work/main
L=models/training/data/lists; S=$L/dev_arctic_native.tsv,$L/dev_speechocean762.tsv,$L/dev_librivox.tsv,$L/dev_ljspeech_coqui.tsv,$L/dev_an4_nemo.tsv,$L/dev_fsdd.tsv,$L/dev_voxforge_en.tsv
nice -n 2 node --import tsx models/lm/tune-decoder.ts --model student --sets $S --half report --beam 64 --weights 0.7 --bonuses 2.5,3 --out /tmp/tune/report.json
