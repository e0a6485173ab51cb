#!/usr/bin/python3
"""Stage 02: assets for on-the-fly meeting-room augmentation (hush/augment.py).

    /usr/bin/python3 models/training/stages/02_augmentation_assets.py [--num-rirs 300] [--seed 2024]
        [--babble-clips 120] [--overlap-utts 400] [--no-codec] [--jobs N]

Writes into models/training/data/aug/ (each part skipped when its inputs/options are unchanged):
  rirs.npy/.json      simulated shoebox rooms (image method: 3x3x2.5 .. 15x10x4 m, RT60 0.15-1.0 s,
                      talker-mic 0.5-4 m), truncated at -50 dB decay: float32 [N, Lmax] zero-padded,
                      true lengths and room parameters in rirs.json
  rir_measured.npy/.json  the measured seminar-room RIR (onset-aligned, cut at -40 dB)
  noise.npy/.json     the shared noise clips (noise.tsv), decoded to 16 kHz float32
  babble.npy/.json    babble built here from 3-7 speechocean762 TRAINING speakers per clip
  overlap.npy/.json   training utterances for the quieter overlapping talker
  codec/<id>.opus     offline low-bit-rate (about 8-12 kbit/s) Opus copies of train_real.tsv,
                      listed in data/lists/train_real_codec.tsv (extra column: kbps)
  assets.json         summary; and an augmentation self-check (timing, determinism, lengths)
Dev speakers are refused in every asset built from speech (babble, overlap, shared babble clips).
"""
import argparse
import json
import multiprocessing as mp
import os
import re
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from hush import augment as A  # noqa: E402
from hush import manifest as M  # noqa: E402
from hush import rir as R  # noqa: E402

STAGE = "02_augmentation_assets"
SR = 16000


def load_audio(path) -> np.ndarray:
    import soundfile as sf
    x, sr = sf.read(str(path), dtype="float32", always_2d=True)
    x = x.mean(axis=1)
    if sr != SR:
        from scipy.signal import resample_poly
        import math
        g = math.gcd(sr, SR)
        x = resample_poly(x, SR // g, sr // g).astype(np.float32)
    return x


def part_done(js: Path, digest: str) -> bool:
    try:
        return json.loads(js.read_text()).get("hash") == digest
    except (FileNotFoundError, ValueError):
        return False


def dev_speakers(lists_dir: Path):
    spk = {}
    for p in sorted(lists_dir.glob("dev_*.tsv")):
        for r in M.read_manifest(p, check_audio=False):
            spk.setdefault(r.speaker, f"{p}:{r.line}")
    return spk


def build_rirs(out: Path, shared: Path, n: int, seed: int, jobs: int, log):
    rir_dir = shared / "data" / "rir"
    digest = M.hash_inputs({"n": n, "seed": seed, "v": 2}, [Path(R.__file__), rir_dir / "rir.tsv"])
    if part_done(out / "rirs.json", digest):
        log.info("rirs: up to date")
        return
    t0 = time.time()
    args = [(i, seed) for i in range(n)]
    if jobs > 1:
        with mp.Pool(jobs) as pool:
            res = pool.starmap(R.simulated_room, args)
    else:
        res = [R.simulated_room(*a) for a in args]
    clips = [h for h, _ in res]
    items = [m for _, m in res]
    # simulated bank: a plain [N, Lmax] float32 array (zero-padded; true lengths in rirs.json)
    A._Bank.save_padded(out / "rirs.npy", out / "rirs.json", clips, items, hash=digest)
    sim_items = items
    clips, items = [], []
    # the measured room(s) from shared/data/rir, kept apart in rir_measured.npy
    rows = [l.split("\t") for l in (rir_dir / "rir.tsv").read_text().splitlines()[1:] if l.strip()]
    for row in rows:
        h = load_audio(rir_dir / row[0])
        k = int(np.argmax(np.abs(h)))
        h = h[max(0, k - int(0.001 * SR)):]
        n_keep = max(int(0.05 * SR), R.decay_length(h, 40.0))  # a clap has a noisy tail: cut at -40 dB
        h = h[:n_keep] / np.abs(h).max()
        clips.append(h.astype(np.float32))
        items.append({"kind": "measured", "file": row[0], "room": row[2], "licence": row[4],
                      "rt60": round(R.schroeder_rt60(h), 3), "rt60_measured": round(R.schroeder_rt60(h), 3),
                      "distance": None, "drr_db": round(R.drr_db(h), 2), "len": len(h)})
    A._Bank.save(out / "rir_measured.npy", out / "rir_measured.json", clips, items, hash=digest)
    rt = np.array([m["rt60_measured"] for m in sim_items], float)
    tg = np.array([m["target_rt60"] for m in sim_items], float)
    ln = np.array([m["len"] for m in sim_items]) / SR
    log.info("rirs: %d simulated + %d measured in %.0f s; measured/target RT60 median %.2f (IQR %.2f-%.2f); "
             "length median %.2f s max %.2f s", n, len(rows), time.time() - t0, np.nanmedian(rt / tg),
             np.nanpercentile(rt / tg, 25), np.nanpercentile(rt / tg, 75), np.median(ln), ln.max())


def build_noise(out: Path, shared: Path, devspk: dict, log):
    ndir = shared / "data" / "noise"
    digest = M.hash_inputs({"v": 1, "dev_speakers": sorted(devspk)}, [ndir / "noise.tsv"])
    if part_done(out / "noise.json", digest):
        log.info("noise: up to date")
        return
    lines = (ndir / "noise.tsv").read_text().splitlines()
    header = lines[0].split("\t")
    clips, items, excluded = [], [], 0
    for lineno, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        row = dict(zip(header, line.split("\t")))
        p = ndir / row["file"]
        if not p.is_file():
            raise M.ManifestError(ndir / "noise.tsv", lineno, row["file"], f"missing audio file {p}")
        if row["category"] == "babble":
            m = re.search(r"speakers ([0-9,]+)", row.get("source", ""))
            spk = [f"speechocean762-{s}" for s in m.group(1).split(",")] if m else []
            leak = [s for s in spk if s in devspk]
            if leak:
                excluded += 1
                log.warning("noise: EXCLUDED %s (line %d): babble talker(s) %s are dev speakers", row["file"],
                            lineno, leak)
                continue
        x = load_audio(p)
        clips.append(x)
        items.append({"file": row["file"], "category": row["category"], "licence": row.get("licence", ""),
                      "seconds": round(len(x) / SR, 2)})
    A._Bank.save(out / "noise.npy", out / "noise.json", clips, items, hash=digest, excluded=excluded)
    cats = {}
    for it in items:
        cats[it["category"]] = cats.get(it["category"], 0) + it["seconds"]
    log.info("noise: %d clips (%s s by category), %d excluded", len(items),
             {k: round(v) for k, v in cats.items()}, excluded)


def training_rows(lists: Path, devspk: dict):
    rows = M.read_manifest(lists / "train_real.tsv", check_audio=False)
    for r in rows:
        if r.speaker in devspk:
            raise M.ManifestError(lists / "train_real.tsv", r.line, r.id,
                                  f"dev speaker {r.speaker} in training list ({devspk[r.speaker]})")
    return rows


def build_babble(out: Path, lists: Path, devspk: dict, n_clips: int, seconds: float, seed: int, log):
    digest = M.hash_inputs({"n": n_clips, "s": seconds, "seed": seed, "v": 1}, [lists / "train_real.tsv"])
    if part_done(out / "babble.json", digest):
        log.info("babble: up to date")
        return
    rows = [r for r in training_rows(lists, devspk) if r.speaker.startswith("speechocean762-")]
    by_spk = {}
    for r in rows:
        by_spk.setdefault(r.speaker, []).append(r)
    speakers = sorted(by_spk)
    rng = np.random.default_rng(seed)
    n = int(seconds * SR)
    clips, items = [], []
    cache = {}

    def get(r):
        if r.id not in cache:
            if len(cache) > 2000:
                cache.clear()
            cache[r.id] = load_audio(r.audio)
        return cache[r.id]

    for c in range(n_clips):
        k = int(rng.integers(3, 8))  # 3..7 talkers
        talkers = [speakers[i] for i in rng.choice(len(speakers), k, replace=False)]
        mix = np.zeros(n, np.float32)
        for spk in talkers:
            stream = []
            total = 0
            utts = by_spk[spk]
            for j in rng.permutation(len(utts)):
                x = get(utts[j])
                x = x / max(A.active_rms(x), 1e-6)
                stream.append(x)
                stream.append(np.zeros(int(rng.uniform(0.05, 0.4) * SR), np.float32))
                total += len(x)
                if total > n * 1.5:
                    break
            s = np.concatenate(stream)
            seg = A.random_segment(s, n, rng)
            mix += seg * 10 ** (rng.uniform(-3, 3) / 20)
        mix = mix / max(np.abs(mix).max(), 1e-6) * 0.9
        clips.append(mix.astype(np.float32))
        items.append({"category": "babble_train", "speakers": talkers, "talkers": k})
    A._Bank.save(out / "babble.npy", out / "babble.json", clips, items, hash=digest)
    used = sorted({s for it in items for s in it["speakers"]})
    log.info("babble: %d clips x %.0f s, 3-7 talkers each, %d distinct training speakers", n_clips, seconds, len(used))


def build_overlap(out: Path, lists: Path, devspk: dict, n_utts: int, seed: int, log):
    digest = M.hash_inputs({"n": n_utts, "seed": seed, "v": 1}, [lists / "train_real.tsv"])
    if part_done(out / "overlap.json", digest):
        log.info("overlap: up to date")
        return
    rows = [r for r in training_rows(lists, devspk) if r.duration >= 1.5 and not r.speaker.startswith("fsdd")]
    rng = np.random.default_rng(seed)
    pick = [rows[i] for i in sorted(rng.choice(len(rows), min(n_utts, len(rows)), replace=False))]
    clips = [load_audio(r.audio) for r in pick]
    items = [{"id": r.id, "speaker": r.speaker} for r in pick]
    A._Bank.save(out / "overlap.npy", out / "overlap.json", clips, items, hash=digest)
    log.info("overlap: %d training utterances, %.2f h, %d speakers", len(items),
             sum(len(c) for c in clips) / SR / 3600, len({i['speaker'] for i in items}))


def _codec_one(args):
    rid, audio, out_path, level = args
    import soundfile as sf
    if os.path.isfile(out_path):
        return rid, sf.info(out_path).frames / SR
    x = load_audio(audio)
    y = A.opus_roundtrip(x, level)
    tmp = out_path + ".tmp"
    sf.write(tmp, y, SR, format="OGG", subtype="OPUS")  # stored at the default rate: the damage is done
    os.replace(tmp, out_path)
    return rid, len(y) / SR


def build_codec(out: Path, lists: Path, devspk: dict, seed: int, jobs: int, log):
    rows = training_rows(lists, devspk)
    digest = M.hash_inputs({"seed": seed, "v": 1}, [lists / "train_real.tsv"])
    list_path = lists / "train_real_codec.tsv"
    marker = M.DoneMarker(out / "codec", "codec")
    if marker.is_done(digest) and list_path.is_file():
        log.info("codec: up to date")
        return
    (out / "codec").mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    levels = rng.uniform(0.98, 1.0, len(rows))
    work = [(r.id, r.audio, str(out / "codec" / f"{r.id}.opus"), float(lv)) for r, lv in zip(rows, levels)]
    t0 = time.time()
    durs = {}
    if jobs > 1:
        with mp.Pool(jobs) as pool:
            for rid, d in pool.imap_unordered(_codec_one, work, chunksize=16):
                durs[rid] = d
    else:
        for i, w in enumerate(work):
            rid, d = _codec_one(w)
            durs[rid] = d
            if (i + 1) % 1000 == 0:
                log.info("codec: %d/%d (%.0f s)", i + 1, len(work), time.time() - t0)
    out_rows = []
    for r, lv in zip(rows, levels):
        kbps = A.opus_kbps_for_level(float(lv))
        out_rows.append(M.Row(r.id + "_opus", str((out / "codec" / f"{r.id}.opus").resolve()), durs[r.id],
                              r.speaker, r.text, {"kbps": f"{kbps:.1f}", "orig_id": r.id}))
    M.write_manifest(list_path, out_rows, ["kbps", "orig_id"])
    marker.mark(digest, rows=len(out_rows))
    log.info("codec: %d utterances (%.2f h) at about 8-12 kbit/s in %.0f s -> %s", len(out_rows),
             M.total_hours(out_rows), time.time() - t0, list_path)


def self_check(out: Path, lists: Path, log):
    """Run augment() on a few real utterances: timing, determinism, lengths."""
    assets = A.Assets.load(out)
    rows = M.read_manifest(lists / "train_real.tsv", check_audio=False)[:: 400][:20]
    cfg = A.AugmentConfig()
    t_total, audio_total, counts = 0.0, 0.0, {}
    for i, r in enumerate(rows):
        x = load_audio(r.audio)
        info1, info2 = [], []
        t0 = time.time()
        y1 = A.augment(x, np.random.default_rng([7, i]), assets, cfg, info1)
        t_total += time.time() - t0
        audio_total += len(x) / SR
        y2 = A.augment(x, np.random.default_rng([7, i]), assets, cfg, info2)
        if not np.array_equal(y1, y2):
            raise RuntimeError(f"augment is not deterministic on {r.id}")
        if not any(k == "speed" for k, _ in info1) and len(y1) != len(x):
            raise RuntimeError(f"augment changed the length of {r.id}")
        for k, _ in info1:
            counts[k] = counts.get(k, 0) + 1
        if i < 5:
            log.info("self-check %s: %s", r.id, A.describe(info1))
    log.info("self-check: %d utterances, %.1f ms CPU per second of audio, ops %s", len(rows),
             1000 * t_total / max(audio_total, 1e-9), counts)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=M.SHARED_DIR)
    ap.add_argument("--out", type=Path, default=M.DATA_DIR / "aug")
    ap.add_argument("--lists", type=Path, default=M.LISTS_DIR)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--num-rirs", type=int, default=300)
    ap.add_argument("--babble-clips", type=int, default=120)
    ap.add_argument("--babble-seconds", type=float, default=12.0)
    ap.add_argument("--overlap-utts", type=int, default=400)
    ap.add_argument("--no-codec", action="store_true", help="skip the offline low-bit-rate Opus copies")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--force", action="store_true")
    args = ap.parse_args(argv)
    log = M.stage_logger(STAGE)
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    if not (args.lists / "train_real.tsv").is_file():
        log.error("no %s: run stages/00_prepare_data.py first", args.lists / "train_real.tsv")
        return 1
    opts = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items() if k not in ("jobs", "force")}
    digest = M.hash_inputs(opts, [args.lists / "train_real.tsv", Path(A.__file__), Path(R.__file__),
                                  Path(__file__), args.shared / "data" / "noise" / "noise.tsv"])
    marker = M.DoneMarker(out, STAGE)
    if not args.force and marker.is_done(digest):
        log.info("already done (%s); use --force to redo", marker.path)
        return 0
    if args.force:
        for js in out.glob("*.json"):
            js.unlink()
        M.DoneMarker(out / "codec", "codec").clear()
    try:
        devspk = dev_speakers(args.lists)
        build_rirs(out, args.shared, args.num_rirs, args.seed, args.jobs, log)
        build_noise(out, args.shared, devspk, log)
        build_babble(out, args.lists, devspk, args.babble_clips, args.babble_seconds, args.seed + 1, log)
        build_overlap(out, args.lists, devspk, args.overlap_utts, args.seed + 2, log)
        if not args.no_codec:
            build_codec(out, args.lists, devspk, args.seed + 3, args.jobs, log)
        self_check(out, args.lists, log)
    except M.ManifestError as e:
        log.error("REFUSED: %s", e)
        return 1
    summary = {}
    for name in ("rirs", "rir_measured", "noise", "babble", "overlap"):
        meta = json.loads((out / f"{name}.json").read_text())
        n_samples = sum(meta["lengths"]) if "lengths" in meta else meta["offsets"][-1]
        summary[name] = {"items": len(meta["items"]), "seconds": round(n_samples / SR, 1)}
    (out / "assets.json").write_text(json.dumps({"options": opts, "parts": summary,
                                                 "config": A.AugmentConfig().to_dict()}, indent=1))
    marker.mark(digest, **{k: v["items"] for k, v in summary.items()})
    log.info("done: %s", summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
