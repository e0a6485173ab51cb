#!/usr/bin/env python3
"""Stage 06: self-training labels for the untranscribed speech, from the teacher and from pocketsphinx.

    /usr/bin/python3 models/training/stages/06_self_labels.py [--labeller both] [--checkpoint exp/teacher/best.pt]
        [--min-confidence 0.8] [--copies 3] [--jobs 2]

Issue "teacher", point 5: the trained teacher transcribes data/lists/untranscribed.tsv from its clean
cached features (greedy CTC; confidence = exp(mean log-prob of the argmax symbol over non-blank frames))
and keeps the confident, non-empty transcripts; pocketsphinx (en-us model, pocketsphinx_batch over
16 kHz WAVs in a temporary folder) keeps every non-empty hypothesis, normalised to the 29 symbols.
For each labeller L it writes data/lists/self_train_<L>.tsv (the untranscribed columns with text
filled, plus confidence, empty for pocketsphinx) and data/feats/self_train_<L>.c<k>.pt, rows of
data/feats/untranscribed.c<k>.pt (same copy and augmentation seed, "source": "untranscribed"), and
data/self_labels/<L>.left_out.tsv naming every utterance left out and why. data/self_labels/summary.json
holds kept/total and hours per labeller and the WER of teacher labels against pocketsphinx labels on
the utterances both kept. The raw teacher output (teacher.tsv) and pocketsphinx output
(pocketsphinx/hyp.txt, its logs) are cached there, so a rerun neither decodes nor runs the teacher
again unless its input changed; changing --min-confidence only reselects.
"""
import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from hush import stage  # noqa: E402
from hush.featbank import FeatBank, feats_path  # noqa: E402
from hush.models import load_teacher  # noqa: E402
from hush.self_labels import (LABELLERS, SAFE_ID, agreement, choose, normalise_hyp, parse_hyp, ps_paths,  # noqa: E402
                              read_tsv, run_pocketsphinx, subselect, teacher_label, tsv_text, write_if_changed, write_wav)
from hush.trainer import length_batches, run_model, save_checkpoint  # noqa: E402
from hush.wavbank import load_named  # noqa: E402

SOURCE = "untranscribed"


class Source:
    """The untranscribed list and, loaded on first use, its cached feature copies (checked row for row)."""

    def __init__(self):
        self.listfile = stage.DATA / "lists" / f"{SOURCE}.tsv"
        if not self.listfile.exists():
            raise stage.Refusal(f"{self.listfile}: missing; run stage 00 first")
        try:
            self.cols, self.rows = read_tsv(self.listfile)
        except ValueError as exc:
            raise stage.Refusal(str(exc))
        seen = {}
        for n, row in enumerate(self.rows, start=2):
            if not SAFE_ID.match(row.get("id", "")):
                raise stage.Refusal(f"{self.listfile}:{n}: id {row.get('id')!r} is not usable as a file name (A-Z a-z 0-9 _ . + -)")
            if row["id"] in seen:
                raise stage.Refusal(f"{self.listfile}:{n}: id {row['id']} repeats line {seen[row['id']]}")
            seen[row["id"]] = n
            try:
                float(row["duration_s"])
            except ValueError:
                raise stage.Refusal(f"{self.listfile}:{n}: duration_s {row['duration_s']!r} is not a number") from None
        self.ids = [r["id"] for r in self.rows]
        self.hours = [float(r["duration_s"]) / 3600 for r in self.rows]
        self._parts = {}

    def feats(self, copy):
        if copy not in self._parts:
            path = feats_path(stage.DATA, SOURCE, copy)
            if not path.exists():
                raise stage.Refusal(f"{path}: cached features missing; run stage 04 first")
            part = torch.load(path)
            if list(part["ids"]) != self.ids:
                raise stage.Refusal(f"{path}: utterances differ from {self.listfile} row for row; rerun stage 04")
            self._parts[copy] = part
        return self._parts[copy]


def teacher_labels(src, ckpt, out_dir, log, run):
    """(texts, confidences) for every source row, cached in teacher.tsv; None when not cached and not run."""
    out, marker = out_dir / "teacher.tsv", out_dir / "teacher.done.json"
    feats0 = feats_path(stage.DATA, SOURCE, 0)
    if not ckpt.exists() or not feats0.exists():
        if run:
            raise stage.Refusal(f"{ckpt}: teacher checkpoint missing; run stage 05 first" if not ckpt.exists()
                                else f"{feats0}: cached features missing; run stage 04 first")
        return None
    key = stage.fingerprint({"ckpt": str(ckpt), "mtime": ckpt.stat().st_mtime, "size": ckpt.stat().st_size,
                             "feats": feats0.stat().st_mtime, "ids": stage.fingerprint(src.ids), "v": 1})
    if stage.is_done(marker, key) and out.exists():
        _, rows = read_tsv(out)
        log.info("teacher: labels cached in %s (%s)", out, ckpt)
        return [r["text"] for r in rows], [float(r["confidence"]) for r in rows]
    if not run:
        return None
    model, saved = load_teacher(ckpt)
    bank = FeatBank([src.feats(0)])
    texts, confs = [""] * len(bank), [0.0] * len(bank)
    t0 = time.time()
    with torch.no_grad():
        for idx in length_batches(bank.lengths, int(16000 * 240), random.Random(0)):
            feats, frames = bank.batch(idx)
            logp, lens = run_model(model, feats, frames)
            for row, i in enumerate(idx):
                texts[i], confs[i] = teacher_label(logp[row, : int(lens[row])])
    log.info("teacher: %d utterances labelled in %.1f s by %s (%s)", len(bank), time.time() - t0, ckpt, saved["config"].get("kind"))
    write_if_changed(out, tsv_text(["id", "text", "confidence"],
                                   [{"id": u, "text": t, "confidence": f"{c:.4f}"} for u, t, c in zip(src.ids, texts, confs)]))
    stage.mark_done(marker, key, checkpoint=str(ckpt), utterances=len(bank), seconds=round(time.time() - t0, 1))
    return texts, confs


def pocketsphinx_labels(src, out_dir, jobs, log, run):
    """Normalised hypotheses for every source row (None where pocketsphinx wrote none), from the cached
    hyp file, decoding first if needed; None when not cached and not run."""
    ps_dir, marker = out_dir / "pocketsphinx", out_dir / "pocketsphinx.done.json"
    hyp_path = ps_dir / "hyp.txt"
    paths = ps_paths()
    key = stage.fingerprint({"rows": [(r["id"], r["audio"], r["duration_s"]) for r in src.rows], "paths": paths, "v": 1})
    if stage.is_done(marker, key) and hyp_path.exists():
        log.info("pocketsphinx: hypotheses cached in %s (decoded in %.1f s wall)", hyp_path, json.loads(marker.read_text())["wall_s"])
    elif not run:
        return None
    else:
        missing = [p for p in paths.values() if not Path(p).exists()]
        if missing:
            raise stage.Refusal(f"{missing[0]}: missing (Debian packages pocketsphinx, pocketsphinx-en-us)")
        try:
            bank = load_named(SOURCE, stage.DATA, jobs, require_text=False)
        except ValueError as exc:
            raise stage.Refusal(str(exc))
        if bank is None or list(bank.ids) != src.ids:
            raise stage.Refusal(f"{src.listfile}: the decoded audio bank does not match the list row for row")
        with tempfile.TemporaryDirectory(prefix="hush_ps_") as tmp:
            for i, utt in enumerate(bank.ids):
                off, n = int(bank.offsets[i]), int(bank.lengths[i])
                write_wav(Path(tmp) / f"{utt}.wav", bank.samples[off:off + n])
            log.info("pocketsphinx: decoding %d utterances (%.2f h) with %d processes", len(bank), bank.hours(), jobs)
            try:
                wall = run_pocketsphinx(tmp, bank.ids, ps_dir, jobs, paths)
            except RuntimeError as exc:
                raise stage.Refusal(f"{paths['batch']}: {exc}")
        log.info("pocketsphinx: decoded %.2f h in %.1f s wall (%.2fx real time)", bank.hours(), wall, wall / max(bank.hours() * 3600, 1e-9))
        stage.mark_done(marker, key, wall_s=round(wall, 1), utterances=len(bank), hours=bank.hours(), **paths)
    try:
        raw = parse_hyp(hyp_path.read_text())
    except ValueError as exc:
        raise stage.Refusal(f"{hyp_path}:{exc}")
    stray = sorted(set(raw) - set(src.ids))
    if stray:
        raise stage.Refusal(f"{hyp_path}: utterance {stray[0]} is not in {src.listfile}; delete {marker} to decode again")
    return [normalise_hyp(raw[u]) if u in raw else None for u in src.ids], None


def write_outputs(name, src, texts, confs, kept, copies, log):
    list_name = f"self_train_{name}"
    listfile = stage.DATA / "lists" / f"{list_name}.tsv"
    rows = [{**src.rows[i], "text": texts[i], "confidence": f"{confs[i]:.4f}" if confs else ""} for i in kept]
    cols = src.cols + ([] if "confidence" in src.cols else ["confidence"])
    if write_if_changed(listfile, tsv_text(cols, rows)):
        log.info("%s: wrote %s (%d rows)", name, listfile, len(rows))
    labels_key = stage.fingerprint([(src.ids[i], texts[i]) for i in kept])
    feats = []
    for copy in range(copies):
        source = feats_path(stage.DATA, SOURCE, copy)
        if not source.exists():
            raise stage.Refusal(f"{source}: cached features missing; run stage 04 (--copies {copies}) first")
        dst = feats_path(stage.DATA, list_name, copy)
        marker = dst.with_suffix(".done.json")
        key = stage.fingerprint({"labels": labels_key, "feats": source.stat().st_mtime, "v": 1})
        if not (stage.is_done(marker, key) and dst.exists()):
            part = subselect(src.feats(copy), kept, [texts[i] for i in kept], list_name)
            save_checkpoint(dst, **part)
            hours = float(part["frames"].sum()) / 360000
            stage.mark_done(marker, key, source=str(source), seed=part["seed"], utterances=len(kept), hours=hours)
            log.info("%s: cached %s copy %d (seed %d): %d utterances, %.3f h", name, list_name, copy, part["seed"], len(kept), hours)
        feats.append(str(dst))
    return {"list": str(listfile), "feats": feats}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--labeller", choices=["teacher", "pocketsphinx", "both"], default="both")
    p.add_argument("--checkpoint", default=str(stage.EXP / "teacher" / "best.pt"))
    p.add_argument("--min-confidence", type=float, default=0.8, help="teacher labels below this confidence are left out")
    p.add_argument("--copies", type=int, default=3, help="feature copies to sub-select (stage 04's --copies)")
    p.add_argument("--jobs", type=int, default=2, help="torch threads and parallel pocketsphinx processes")
    args = p.parse_args()
    log = stage.setup("06_self_labels")
    torch.set_num_threads(args.jobs)
    wanted = LABELLERS if args.labeller == "both" else (args.labeller,)
    out_dir = stage.DATA / "self_labels"
    out_dir.mkdir(parents=True, exist_ok=True)
    src = Source()
    log.info("%s: %d utterances, %.2f h; labellers: %s", src.listfile, len(src.ids), sum(src.hours), ", ".join(wanted))

    # Labels of the requested labellers, and of the other one too where its cache is current (for the comparison).
    labels = {
        "teacher": teacher_labels(src, Path(args.checkpoint), out_dir, log, run="teacher" in wanted),
        "pocketsphinx": pocketsphinx_labels(src, out_dir, args.jobs, log, run="pocketsphinx" in wanted),
    }
    summary = {"source": str(src.listfile), "utterances": len(src.ids), "hours": round(sum(src.hours), 4),
               "min_confidence": args.min_confidence, "labellers": {}}
    kept_text, all_text = {}, {}
    for name in LABELLERS:
        if labels[name] is None:
            continue
        texts, confs = labels[name]
        kept, left = choose(src.ids, texts, confs, args.min_confidence if name == "teacher" else None)
        kept_text[name] = {src.ids[i]: texts[i] for i in kept}
        all_text[name] = {u: t for u, t in zip(src.ids, texts) if t}
        hours = sum(src.hours[i] for i in kept)
        log.info("%s: kept %d of %d utterances (%.3f of %.3f h); left out: %s", name, len(kept), len(src.ids), hours, sum(src.hours),
                 ", ".join(f"{len(v)} {k}" for k, v in left.items()) or "none")
        for reason, utts in left.items():
            if utts:
                log.info("%s: %s (%d): %s%s", name, reason, len(utts), " ".join(utts[:5]), " ..." if len(utts) > 5 else "")
        index = {u: i for i, u in enumerate(src.ids)}
        left_rows = [{"id": u, "reason": reason, "text": texts[index[u]] or "", "confidence": f"{confs[index[u]]:.4f}" if confs else ""}
                     for reason, utts in left.items() for u in utts]
        write_if_changed(out_dir / f"{name}.left_out.tsv", tsv_text(["id", "reason", "text", "confidence"], left_rows))
        entry = {"kept": len(kept), "total": len(src.ids), "hours_kept": round(hours, 4),
                 "left_out": {k: len(v) for k, v in left.items()}, "left_out_list": str(out_dir / f"{name}.left_out.tsv")}
        if name == "teacher":
            q = torch.quantile(torch.tensor(confs), torch.tensor([0.1, 0.25, 0.5, 0.75, 0.9])).tolist() if confs else []
            entry.update(checkpoint=args.checkpoint, min_confidence=args.min_confidence,
                         confidence_quantiles={f"p{int(p * 100)}": round(v, 4) for p, v in zip([0.1, 0.25, 0.5, 0.75, 0.9], q)})
            log.info("teacher: confidence quantiles %s", entry["confidence_quantiles"])
        else:
            entry["decode_wall_s"] = json.loads((out_dir / "pocketsphinx.done.json").read_text())["wall_s"]
        if name in wanted:
            entry.update(write_outputs(name, src, texts, confs, kept, args.copies, log))
        else:
            entry["outputs"] = f"not written this run (--labeller {args.labeller}); labels from the cache"
        summary["labellers"][name] = entry
    if len(kept_text) == 2:
        agree = agreement(kept_text["pocketsphinx"], kept_text["teacher"])
        summary["agreement"] = {"ref": "pocketsphinx", "hyp": "teacher", "on": "utterances both kept", **agree}
        log.info("agreement: teacher labels against pocketsphinx labels on %d utterances both kept: WER %s (%d/%d words)",
                 agree["utterances"], "n/a" if agree["wer"] is None else f"{agree['wer']:.2f} %", agree["errors"], agree["ref_words"])
        # Before the confidence filter too: with a weak teacher almost nothing is kept, and this says how far apart the two are.
        every = agreement(all_text["pocketsphinx"], all_text["teacher"])
        summary["agreement_unfiltered"] = {"ref": "pocketsphinx", "hyp": "teacher", "on": "utterances both labelled, before filtering", **every}
        log.info("agreement before filtering: teacher labels against pocketsphinx labels on %d utterances: WER %s (%d/%d words)",
                 every["utterances"], "n/a" if every["wer"] is None else f"{every['wer']:.2f} %", every["errors"], every["ref_words"])
    else:
        summary["agreement"] = None
        log.info("agreement: needs both labellers' labels; only %s available", ", ".join(kept_text) or "none")
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    log.info("self labels complete: %s", out_dir / "summary.json")


if __name__ == "__main__":
    main()
