#!/usr/bin/python3
"""Stage 01: synthetic meeting speech from Debian's TTS voices.

    /usr/bin/python3 models/training/stages/01_synthesize.py [--hours 40] [--jobs N] [--seed 1234]
    /usr/bin/python3 models/training/stages/01_synthesize.py --benchmark 8      # speed per voice
    /usr/bin/python3 models/training/stages/01_synthesize.py --manifest-only    # lists from what exists

Text: meetings.txt.gz (templated sentences down-weighted) + spans of consecutive AMI transcript
sentences, normalised to the 29 symbols, minus anything that reads a dev/eval sentence (4+ words)
and minus the held-out sentences of the slt dev set.
Voices: flite kal/kal16/awb/rms, festival kal_diphone/ked_diphone, espeak-ng (8 accents x 20
variants), each utterance with its own rate and pitch. slt (flite slt, festival us-slt HTS) only
speaks the held-out dev set.

Outputs (16 kHz mono Ogg Opus, one file per utterance, existing files are skipped):
  data/synth/<voice>/<id>.opus
  data/lists/synth_train.tsv     id audio duration_s speaker text voice engine rate pitch source
  data/lists/dev_synth_slt.tsv   same columns (150 utterances, slt voices only)
  data/synth/slt_heldout.txt     the held-out sentences (keep them out of LM text too)
  data/synth/plan.tsv, journal.tsv, failures.tsv, pool_stats.json
The manifest is the shortest prefix of the (seeded, deterministic) plan whose measured audio
reaches --hours; it is rewritten as synthesis progresses, so a partial run is usable.
Resumable: kill it at any time and start it again.
"""
import argparse
import json
import multiprocessing as mp
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from hush import manifest as M  # noqa: E402
from hush import synth as S  # noqa: E402

STAGE = "01_synthesize"
EXTRA = ["voice", "engine", "rate", "pitch", "source"]
PLAN_COLS = ["id", "voice", "rate", "pitch", "source", "est_s", "text"]


def _work(args):
    items, out_root = args
    return S.synthesize_unit(items, out_root)


def _nice():
    try:
        os.nice(0)
    except OSError:
        pass


def units_of(items, size=25):
    """Chunks of the plan for one worker call: festival items grouped by voice (one process each)."""
    fest, other = {}, []
    for it in items:
        if it.engine() == "festival":
            fest.setdefault(it.voice, []).append(it)
        else:
            other.append(it)
    out = [other[i:i + size] for i in range(0, len(other), size)]
    for group in fest.values():
        out += [group[i:i + size] for i in range(0, len(group), size)]
    return out


def read_journal(path):
    done, failed = {}, {}
    if path.is_file():
        for line in path.read_text().splitlines():
            p = line.split("\t")
            if len(p) < 2:
                continue
            try:
                d = float(p[1])
            except ValueError:
                continue
            if d > 0:
                done[p[0]] = d
                failed.pop(p[0], None)
            else:
                failed[p[0]] = p[2] if len(p) > 2 else ""
    return done, failed


def run_items(items, out_root, jobs, journal_path, log, block=200, on_block=None):
    """Synthesise items (skipping those in the journal), appending results to the journal."""
    done, failed = read_journal(journal_path)
    todo = [it for it in items if it.id not in done and it.id not in failed]
    log.info("%d items planned, %d done, %d failed earlier, %d to do", len(items), len(done), len(failed), len(todo))
    if not todo:
        return done, failed
    pool = mp.Pool(jobs, initializer=_nice) if jobs > 1 else None
    t0 = time.time()
    n_done, audio_s = 0, 0.0
    try:
        with open(journal_path, "a") as jf:
            for b in range(0, len(todo), block):
                units = units_of(todo[b:b + block])
                args = [(u, str(out_root)) for u in units]
                results = pool.imap(_work, args) if pool else map(_work, args)
                for res in results:
                    for uid, dur, err in res:
                        jf.write(f"{uid}\t{dur:.3f}\t{err}\n")
                        if dur > 0:
                            done[uid] = dur
                            audio_s += dur
                        else:
                            failed[uid] = err
                            log.warning("failed %s: %s", uid, err)
                        n_done += 1
                jf.flush()
                el = time.time() - t0
                log.info("progress %d/%d this run, %.2f h audio in %.0f s wall (%.1fx real time)",
                         n_done, len(todo), audio_s / 3600, el, audio_s / max(el, 1e-9))
                if on_block:
                    on_block(done)
    finally:
        if pool:
            pool.close()
            pool.join()
    return done, failed


def write_plan(path, items):
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w") as f:
        f.write("\t".join(PLAN_COLS) + "\n")
        for it in items:
            f.write(f"{it.id}\t{it.voice}\t{it.rate}\t{it.pitch}\t{it.source}\t{it.est_s:.2f}\t{it.text}\n")
    os.replace(tmp, path)


def read_plan(path):
    items = []
    with open(path) as f:
        header = f.readline().rstrip("\n").split("\t")
        assert header == PLAN_COLS, header
        for line in f:
            i, v, r, p, src, est, text = line.rstrip("\n").split("\t")
            items.append(S.Item(i, v, float(r), float(p), text, src, float(est)))
    return items


def manifest_rows(items, done, out_root, hours=None):
    rows, total = [], 0.0
    for it in items:
        if hours is not None and total >= hours * 3600:
            break
        if it.id not in done:
            continue
        v = S.VOICE_BY_NAME[it.voice]
        rows.append(M.Row(it.id, str((out_root / it.rel_path()).resolve()), done[it.id], f"synth_{it.voice}",
                          it.text, {"voice": it.voice, "engine": v.engine, "rate": it.rate, "pitch": it.pitch,
                                    "source": it.source}))
        total += done[it.id]
    return rows


def benchmark(pool, n, log, jobs):
    """Synthesise n sentences per voice (espeak: a few combos) and report real-time factors."""
    rng_texts = [s.text for s in pool if s.source in ("meet", "ami_span")][:5000]
    import numpy as np
    rng = np.random.default_rng(0)
    texts = [rng_texts[i] for i in rng.choice(len(rng_texts), n, replace=False)]
    voices = [v for v in S.TRAIN_VOICES if v.engine != "espeak"] + \
        [S.VOICE_BY_NAME[x] for x in ("espeak_en-us+m3", "espeak_en-gb-x-rp+f2", "espeak_en-us-nyc+klatt")] + \
        S.DEV_VOICES
    log.info("benchmark: %d sentences per voice, %d words in all, one process", n, sum(len(t.split()) for t in texts))
    table = {}
    with tempfile.TemporaryDirectory(prefix="hush_bench_") as tmp:
        for v in voices:
            items = []
            for k, t in enumerate(texts):
                rate, pitch = S.sample_params(v, rng)
                items.append(S.Item(f"bench_{k}_{S.voice_dir(v.name)}", v.name, rate, pitch, t, "bench"))
            c0 = os.times()
            t0 = time.time()
            res = S.synthesize_unit(items, tmp)
            wall = time.time() - t0
            c1 = os.times()
            cpu = (c1.children_user + c1.children_system + c1.user + c1.system) - \
                  (c0.children_user + c0.children_system + c0.user + c0.system)
            audio = sum(d for _, d, _ in res if d > 0)
            fails = sum(1 for _, d, _ in res if d <= 0)
            table[v.name] = {"audio_s": round(audio, 2), "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
                             "x_realtime_cpu": round(audio / max(cpu, 1e-6), 1), "failures": fails}
            log.info("bench %-26s %5.1f s audio  %5.2f s wall  %5.2f s cpu  %6.1fx real time (cpu)  %d failed",
                     v.name, audio, wall, cpu, audio / max(cpu, 1e-6), fails)
    return table


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hours", type=float, default=40.0, help="target hours of training speech (default 40)")
    ap.add_argument("--jobs", type=int, default=1, help="parallel synthesis processes")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--dev-utts", type=int, default=150, help="slt dev utterances (held-out sentences)")
    ap.add_argument("--shared", type=Path, default=M.SHARED_DIR)
    ap.add_argument("--out", type=Path, default=M.DATA_DIR / "synth")
    ap.add_argument("--lists", type=Path, default=M.LISTS_DIR)
    ap.add_argument("--benchmark", type=int, default=0, metavar="N", help="only measure speed per voice on N sentences")
    ap.add_argument("--manifest-only", action="store_true", help="only rewrite the lists from finished utterances")
    ap.add_argument("--max-items", type=int, default=0, help="stop after this many new training items (testing)")
    ap.add_argument("--retry-failed", action="store_true", help="retry utterances that failed before")
    ap.add_argument("--force", action="store_true", help="ignore the done-marker")
    args = ap.parse_args(argv)
    log = M.stage_logger(STAGE)
    text_dir = args.shared / "data" / "text"
    meetings, ami = text_dir / "meetings.txt.gz", text_dir / "ami-transcripts.tsv.gz"
    arpa = text_dir / "en-us-3gram.pruned-1e-6.arpa.gz"
    args.out.mkdir(parents=True, exist_ok=True)

    dev_lists = sorted(p for p in args.lists.glob("dev_*.tsv") if p.name != "dev_synth_slt.tsv")
    if not dev_lists:
        log.error("no dev lists in %s: run stages/00_prepare_data.py first", args.lists)
        return 1
    plan_opts = {"seed": args.seed, "dev_utts": args.dev_utts, "plan_hours": args.hours * 2.0,
                 "voices": [(v.name, v.weight) for v in S.TRAIN_VOICES + S.DEV_VOICES]}
    code = [Path(S.__file__), Path(M.__file__)]
    dev_src = dev_lists + sorted((args.shared / "data" / "corpora").glob("*/dev.tsv"))
    plan_hash = M.hash_inputs(plan_opts, [meetings, ami, arpa] + dev_src + code)
    digest = M.hash_inputs({**plan_opts, "hours": args.hours, "plan": plan_hash}, [])
    marker = M.DoneMarker(args.out, STAGE)
    if not (args.force or args.benchmark or args.manifest_only or args.max_items) and marker.is_done(digest):
        log.info("already done (%s); use --force to redo", marker.path)
        return 0

    plan_path, dev_plan_path = args.out / "plan.tsv", args.out / "plan_dev_slt.tsv"
    plan_meta = args.out / "plan.hash"
    if plan_path.is_file() and dev_plan_path.is_file() and plan_meta.is_file() \
            and plan_meta.read_text().strip() == plan_hash and not args.benchmark:
        plan, dev_plan = read_plan(plan_path), read_plan(dev_plan_path)
        log.info("plan reused: %d training items (est. %.1f h), %d dev items", len(plan),
                 sum(i.est_s for i in plan) / 3600, len(dev_plan))
    else:
        t0 = time.time()
        vocab = S.load_lm_vocab(arpa)
        protected = S.dev_texts(args.lists, args.shared)
        excl = S.ExclusionFilter(protected)
        log.info("LM vocabulary %d words; %d dev/eval sentences of 4+ words protected", len(vocab), excl.count)
        pool, heldout, stats = S.build_pool(meetings, ami, vocab, excl, args.seed, args.dev_utts)
        by_src = {}
        for s in pool:
            by_src[s.source] = by_src.get(s.source, 0) + 1
        log.info("pool: %d candidates read, %d kept %s, rejected %s (%.0f s)", stats.read, len(pool), by_src,
                 stats.rejected, time.time() - t0)
        (args.out / "pool_stats.json").write_text(json.dumps(
            {"read": stats.read, "kept": len(pool), "kept_by_source": by_src, "rejected": stats.rejected,
             "normalisation_changed": stats.normalised_changed, "heldout": len(heldout)}, indent=1))
        if args.benchmark:
            table = benchmark(pool, args.benchmark, log, args.jobs)
            (args.out / "benchmark.json").write_text(json.dumps(table, indent=1))
            return 0
        plan = S.make_plan(pool, args.hours * 2.0, args.seed)
        dev_pool = [S.Sentence(t, "heldout", 1.0) for t in heldout]
        dev_plan = S.make_plan(dev_pool, 1e9, args.seed + 7, voices=S.DEV_VOICES, prefix="synthdev",
                              max_items=len(heldout))
        write_plan(plan_path, plan)
        write_plan(dev_plan_path, dev_plan)
        (args.out / "slt_heldout.txt").write_text("\n".join(heldout) + "\n")
        plan_meta.write_text(plan_hash + "\n")
        log.info("plan: %d training items (est. %.1f h, synthesised until %.1f h measured), %d slt dev items",
                 len(plan), sum(i.est_s for i in plan) / 3600, args.hours, len(dev_plan))

    journal = args.out / "journal.tsv"
    dev_journal = args.out / "journal_dev_slt.tsv"
    if args.retry_failed:
        for j in (journal, dev_journal):
            if j.is_file():
                keep = [l for l in j.read_text().splitlines() if len(l.split("\t")) > 1 and
                        not l.split("\t")[1].startswith("-")]
                j.write_text("".join(k + "\n" for k in keep))

    def write_lists(done, dev_done, final=False):
        rows = manifest_rows(plan, done, args.out, args.hours)
        M.write_manifest(args.lists / "synth_train.tsv", rows, EXTRA)
        if dev_done is not None:
            drows = manifest_rows(dev_plan, dev_done, args.out)
            M.write_manifest(args.lists / "dev_synth_slt.tsv", drows, EXTRA)
        return rows

    # 1) the slt dev set (small) first
    dev_done, dev_failed = run_items(dev_plan, args.out, args.jobs, dev_journal, log)
    write_lists(read_journal(journal)[0], dev_done)
    # 2) training speech, in plan order, until the measured hours reach the target
    done, failed = read_journal(journal)
    if args.manifest_only:
        rows = write_lists(done, dev_done)
        log.info("lists rewritten: synth_train.tsv %d rows %.2f h", len(rows), M.total_hours(rows))
        return 0
    target = args.hours * 3600
    need_until = 0
    total = 0.0
    # extend the work prefix of the plan until what is (or will be) done reaches the target
    while need_until < len(plan) and total < target:
        it = plan[need_until]
        total += done.get(it.id, 0.0 if it.id in failed else it.est_s)
        need_until += 1
    work = plan[:need_until]
    new = [it for it in work if it.id not in done and it.id not in failed]
    if args.max_items:
        new = new[:args.max_items]

    last = [time.time()]

    def on_block(d):
        if time.time() - last[0] > 300:
            rows = write_lists(d, dev_done)
            log.info("synth_train.tsv now %d rows, %.2f h", len(rows), M.total_hours(rows))
            last[0] = time.time()

    while new:
        done, failed = run_items(new, args.out, args.jobs, journal, log, on_block=on_block)
        if args.max_items:
            break
        # estimates may have been optimistic: extend the prefix with what is still missing
        total = sum(done.get(it.id, 0.0) for it in plan[:need_until])
        if total >= target or need_until >= len(plan):
            break
        start = need_until
        while need_until < len(plan) and total < target:
            total += plan[need_until].est_s
            need_until += 1
        new = [it for it in plan[start:need_until] if it.id not in done and it.id not in failed]

    rows = write_lists(done, dev_done, final=True)
    dev_rows = M.read_manifest(args.lists / "dev_synth_slt.tsv", check_duration=False)
    # the held-out voices / sentences must not leak into training
    dev_all = {p.stem: M.read_manifest(p, check_audio=False) for p in args.lists.glob("dev_*.tsv")}
    M.check_speaker_disjoint({"synth_train": rows}, dev_all)
    M.check_text_disjoint({"synth_train": rows}, dev_all)
    hours = M.total_hours(rows)
    by_voice = {}
    for r in rows:
        key = r.extra["voice"].split("+")[0] if r.extra["engine"] == "espeak" else r.extra["voice"]
        by_voice[key] = by_voice.get(key, 0.0) + r.duration / 3600
    log.info("synth_train.tsv: %d rows, %.2f h; dev_synth_slt.tsv: %d rows, %.3f h; failures: %d",
             len(rows), hours, len(dev_rows), M.total_hours(dev_rows), len(failed))
    log.info("hours by voice: %s", {k: round(v, 2) for k, v in sorted(by_voice.items())})
    if failed:
        with open(args.out / "failures.tsv", "w") as f:
            for k, v in sorted(failed.items()):
                f.write(f"{k}\t{v}\n")
    if args.max_items:
        return 0
    if hours >= args.hours * 0.999:
        marker.mark(digest, rows=len(rows), hours=round(hours, 3), failures=len(failed))
        log.info("done")
    else:
        log.warning("only %.2f h < %.1f h: the plan ran out (raise --hours' plan margin)", hours, args.hours)
    return 0


if __name__ == "__main__":
    sys.exit(main())
