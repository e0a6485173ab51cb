"""The 29-symbol CTC alphabet, as in electron/core/symbols.ts."""
SYMBOLS = " abcdefghijklmnopqrstuvwxyz'"
BLANK = len(SYMBOLS)
NUM_CLASSES = len(SYMBOLS) + 1
_INDEX = {c: i for i, c in enumerate(SYMBOLS)}


def encode(text):
    """Text -> symbol ids; raises on any symbol outside the alphabet so rows are never silently altered."""
    try:
        return [_INDEX[c] for c in text]
    except KeyError as exc:
        raise ValueError(f"symbol {exc.args[0]!r} is outside the 29-symbol alphabet") from None


def greedy(ids_per_frame):
    out, prev = [], BLANK
    for i in ids_per_frame:
        if i != prev and i != BLANK:
            out.append(SYMBOLS[i])
        prev = i
    return " ".join("".join(out).split())


def wer_counts(ref, hyp):
    """(errors, ref_words) by word-level Levenshtein."""
    r, h = ref.split(), hyp.split()
    d = list(range(len(h) + 1))
    for i in range(1, len(r) + 1):
        prev, d[0] = d[0], i
        for j in range(1, len(h) + 1):
            cur = min(d[j] + 1, d[j - 1] + 1, prev + (r[i - 1] != h[j - 1]))
            prev, d[j] = d[j], cur
    return d[len(h)], len(r)
