/**
 * Licences and attribution for what the models were trained on and what ships with the app,
 * condensed from ../shared/README.md and each data folder's SOURCE.md.
 */
export interface Attribution {
  name: string;
  use: string;
  licence: string;
  credit: string;
}

export const ATTRIBUTIONS: Attribution[] = [
  { name: 'Free Spoken Digit Dataset (FSDD)', use: 'training and tests (digits fixture model)', licence: 'CC BY-SA 4.0', credit: 'Zohar Jackson, César Souza, Jason Flaks, Yuxin Pan and contributors.' },
  { name: 'speechocean762', use: 'training and evaluation', licence: 'CC BY 4.0', credit: 'Junbo Zhang, Zhiwen Zhang, Yongqing Wang, Zhiyong Yan, Qiong Song, Yukai Huang, Ke Li, Daniel Povey, Yujun Wang; “speechocean762: An Open-Source Non-native English Speech Corpus For Pronunciation Assessment”, Interspeech 2021. Data by SpeechOcean / Xiaomi.' },
  { name: 'ARCTIC-style native speech (Cathy) and CMU ARCTIC slt/clb', use: 'training and evaluation', licence: 'CC0 1.0; CMU ARCTIC licence (BSD-style)', credit: 'CMU ARCTIC: John Kominek and Alan W Black, Carnegie Mellon University.' },
  { name: 'LibriSpeech excerpts (via Resemblyzer)', use: 'untranscribed training audio', licence: 'CC BY 4.0', credit: 'LibriSpeech ASR corpus by Vassil Panayotov, Guoguo Chen, Daniel Povey, Sanjeev Khudanpur; audio from LibriVox public-domain audiobooks.' },
  { name: 'Voice Conversion Challenge 2016 (via sprocket)', use: 'untranscribed training audio', licence: 'ODC-By 1.0', credit: 'Voice Conversion Challenge 2016 database, T. Toda et al., University of Edinburgh / CSTR.' },
  { name: 'Picovoice Speech-to-Intent benchmark', use: 'untranscribed training audio', licence: 'Apache-2.0', credit: 'Speech-to-Intent Benchmark, Picovoice Inc.' },
  { name: 'LJ Speech', use: 'evaluation', licence: 'Public domain', credit: 'Keith Ito and Linda Johnson (2017).' },
  { name: 'CMU AN4', use: 'evaluation', licence: 'CMU AN4 licence (BSD-style)', credit: 'Copyright (c) 1991-2005 Carnegie Mellon University. All rights reserved.' },
  { name: 'VoxForge English', use: 'evaluation', licence: 'GPL v3 or later', credit: 'Copyright VoxForge; used unmodified for evaluation only.' },
  { name: 'CMU Sphinx US English 3-gram LM (pocketsphinx-en-us)', use: 'language model', licence: 'BSD-2-Clause', credit: 'Copyright 1995-2014 Carnegie Mellon University; 2014-2015 Alpha Cephei Inc. Redistribution keeps this notice, the two conditions and the disclaimer.' },
  { name: 'AMI Meeting Corpus transcripts', use: 'language-model text', licence: 'CC BY 4.0', credit: 'AMI Consortium; transcripts via gcunhase/AMICorpusXML.' },
  { name: 'Mozilla Common Voice sentences', use: 'language-model text', licence: 'CC0 1.0', credit: 'Mozilla Common Voice contributors.' },
  { name: 'Taskmaster-4', use: 'language-model text', licence: 'CC BY 4.0', credit: 'Google Research, Taskmaster datasets.' },
  { name: 'Background noise and music', use: 'training augmentation', licence: 'CC BY 4.0 / CC BY-SA 3.0', credit: 'Google Speech Commands background noise (Pete Warden); music by Paul Shuler (Macroform), Manolo Camp and Reno Project (asterisk-moh-opsound).' },
];

export const SOFTWARE: { name: string; licence: string }[] = [
  { name: 'Electron', licence: 'MIT' },
  { name: 'onnxruntime', licence: 'MIT' },
  { name: 'Svelte', licence: 'MIT' },
  { name: 'Dexie.js', licence: 'Apache-2.0' },
  { name: 'docx', licence: 'MIT' },
  { name: 'ws', licence: 'MIT' },
];
