import unittest

import torch

from hush.wavbank import WavBank, concat


class ConcatKeepsAudioAndTextAligned(unittest.TestCase):
    def test_a_bank_with_trailing_samples_does_not_shift_the_next_bank(self):
        # A stream-decoded bank: two utterances of 3 samples, then a 2-sample codec tail.
        a = WavBank(["a1", "a2"], ["x", "y"], torch.tensor([0, 3]), torch.tensor([3, 3]),
                    torch.tensor([1, 1, 1, 2, 2, 2, 0, 0], dtype=torch.int16), ["s", "s"])
        b = WavBank(["b1"], ["z"], torch.tensor([0]), torch.tensor([2]), torch.tensor([7, 7], dtype=torch.int16), ["t"])
        both = concat([a, a, b])
        wav, lengths = both.batch([0, 3, 4], "cpu")
        got = (wav * 32768).round().int().tolist()
        self.assertEqual(got[0][:3], [1, 1, 1])
        self.assertEqual(got[1][:3], [2, 2, 2])  # a2 of the second copy
        self.assertEqual(got[2][:2], [7, 7])  # b1 after two tails
        self.assertEqual(both.texts[4], "z")


if __name__ == "__main__":
    unittest.main()
