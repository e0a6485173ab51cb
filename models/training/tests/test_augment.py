import sys
import tempfile
import unittest
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from hush import augment as A  # noqa: E402
from hush import rir as R  # noqa: E402


def tone_speech(n, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n) / 16000
    env = (np.sin(2 * np.pi * 3 * t) > 0).astype(np.float32)
    return (0.3 * env * np.sin(2 * np.pi * 220 * t) + 0.01 * rng.standard_normal(n)).astype(np.float32)


class AugmentTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        d = Path(cls.tmp.name)
        rng = np.random.default_rng(0)
        rirs = [R.room_rir(R.random_room(np.random.default_rng(i))) for i in range(3)]
        A._Bank.save_padded(d / "rirs.npy", d / "rirs.json", rirs, [{"kind": "sim", "rt60": 0.3, "distance": 1.0}] * 3)
        A._Bank.save(d / "rir_measured.npy", d / "rir_measured.json", [rirs[0][:800]],
                     [{"kind": "measured", "rt60": 0.5}])
        A._Bank.save(d / "noise.npy", d / "noise.json", [rng.standard_normal(16000 * 3).astype(np.float32)],
                     [{"category": "stationary_white"}])
        A._Bank.save(d / "babble.npy", d / "babble.json", [tone_speech(16000 * 4, 1)], [{"category": "babble_train"}])
        A._Bank.save(d / "overlap.npy", d / "overlap.json", [tone_speech(16000 * 2, 2)], [{"speaker": "s"}])
        cls.assets = A.Assets.load(d)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_deterministic_by_seed(self):
        x = tone_speech(16000 * 2)
        cfg = A.AugmentConfig(p_codec=0.5, p_telephone=0.5)
        for seed in range(12):
            i1, i2 = [], []
            y1 = A.augment(x, np.random.default_rng(seed), self.assets, cfg, i1)
            y2 = A.augment(x, np.random.default_rng(seed), self.assets, cfg, i2)
            np.testing.assert_array_equal(y1, y2)
            self.assertEqual(A.describe(i1), A.describe(i2))
        outs = {A.augment(x, np.random.default_rng(s), self.assets, cfg).tobytes() for s in range(12)}
        self.assertGreater(len(outs), 6)

    def test_keeps_length_except_speed(self):
        everything = A.AugmentConfig(p_speed=0.0, p_overlap=1, p_reverb=1, p_noise=1, p_telephone=1,
                                     p_codec=1, p_gain=1, p_clip=1)
        for n in (8000, 16000 * 3 + 17, 400):
            x = tone_speech(n)
            info = []
            y = A.augment(x, np.random.default_rng(n), self.assets, everything, info)
            self.assertEqual(len(y), n)
            self.assertEqual(y.dtype, np.float32)
            self.assertLessEqual(float(np.abs(y).max()), 1.0)
            names = {k for k, _ in info}
            self.assertTrue({"rir", "noise", "telephone", "codec", "gain", "clip"} <= names, names)
        speed = A.AugmentConfig(p_speed=1.0, p_overlap=0, p_reverb=0, p_noise=0, p_telephone=0, p_codec=0,
                                p_gain=0, p_clip=0)
        x = tone_speech(16000)
        lens = set()
        for s in range(10):
            info = []
            y = A.augment(x, np.random.default_rng(s), self.assets, speed, info)
            f = info[0][1]
            self.assertAlmostEqual(len(y), len(x) / f, delta=2)
            lens.add(len(y))
        self.assertEqual(len(lens), 2)

    def test_torch_in_torch_out(self):
        import torch
        x = torch.from_numpy(tone_speech(16000))
        y = A.augment(x, np.random.default_rng(3), self.assets, A.AugmentConfig(p_speed=0))
        self.assertIsInstance(y, torch.Tensor)
        self.assertEqual(y.shape, x.shape)

    def test_rir_bank_layout(self):
        self.assertEqual(len(self.assets.rirs), 4)
        self.assertEqual(self.assets._measured, [3])
        sim = np.load(Path(self.tmp.name) / "rirs.npy")   # a plain [N, L] array for other readers
        self.assertEqual(sim.ndim, 2)
        np.testing.assert_array_equal(self.assets.rirs.clip(1), sim[1, : len(self.assets.rirs.clip(1))])

    def test_snr(self):
        x = tone_speech(16000 * 2)
        noise = np.random.default_rng(1).standard_normal(len(x)).astype(np.float32)
        y = A.add_at_snr(x, noise, 10.0)
        snr = 20 * np.log10(A.active_rms(x) / A._rms(y - x))
        self.assertAlmostEqual(snr, 10.0, delta=0.1)

    def test_clean_config_is_identity(self):
        none = A.AugmentConfig(p_speed=0, p_overlap=0, p_reverb=0, p_noise=0, p_telephone=0, p_codec=0,
                               p_gain=0, p_clip=0)
        x = tone_speech(16000)
        info = []
        np.testing.assert_array_equal(A.augment(x, np.random.default_rng(0), self.assets, none, info), x)
        self.assertEqual(A.describe(info), "clean")

    def test_augmenter_reproducible(self):
        aug = A.Augmenter(self.tmp.name, seed=3)
        x = tone_speech(16000)
        np.testing.assert_array_equal(aug(x, index=5, epoch=1), aug(x, index=5, epoch=1))


if __name__ == "__main__":
    unittest.main()
