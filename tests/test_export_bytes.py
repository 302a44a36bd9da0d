"""Every CLI export, byte for byte, as the code before the memory work of issue 18 wrote it.

The expected digests were taken from that code (commit 1fe37c7; retaken with the export code of
0796ac8, still the old one, when the seeds and the generator changed): a change that only saves
memory must leave every byte of every format as it was. Small slices are forced too, so the
seams between streamed slices are checked on files a test can afford. When an input or an
export changes on purpose, `python -m tests.test_export_bytes` prints the digests to paste.
"""

from __future__ import annotations

import hashlib
import io
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import timeline.export
from benchmarks.synth import as_json, realistic
from benchmarks.tree_synth import tree_timeline
from tests.conftest import MINI, ROOT, TREE
from timeline.cli import EXPORT_FORMATS, main

SEEDS = ROOT / "seeds"
GENERATED = 600  # events in each generated file: a few slices of SMALL_SLICE rows
SMALL_SLICE = 97  # rows a slice when the seams are tested: prime, so slices end mid-pair

# Each input's own digest: the expected outputs below describe these files and no others.
INPUT_SHA256 = {
    "for-all-mankind.yaml": "a2a11ec38eb9b339d595a3b4c83080a17c2b783e492cd7d1d947b06560ad8e9f",
    "roma-eterna.yaml": "d4d85c55f40dacfa0fc1f4a32d14a35d3e28f20320fbe00924fe2851668ec1b1",
    "space-race.yaml": "fae01bbd60ce4da1b7698a6f1ac20eed2b431c682d4eeb4cce0616506623004e",
    "mini.yaml": "1315efbf82426378d03b77c49404c59479ada6bcc3c92ac528fde06b34fee391",
    "tree.yaml": "aca5d9ebfcb9d73b76fa1a33c8a63a81d5cc67e38d7d13e43b6cc2bb3526dd80",
    "realistic-600.json": "e18e04c01e4fdd8bf16a80afda649dd379ea3fd31ff99613724b81a2304d53af",
    "tree-600.json": "4a43fa8f1d2ce83ba091bb2e014806229287c75da237c08b3a25947c3066266d",
}

# SHA-256 of `python -m timeline export FILE --format F`'s stdout, per file and format.
EXPECTED_SHA256 = {
    "for-all-mankind.yaml --format json": "cfb8386baed130581be73313106b4104e04d154bed7602b3e6262e76bea8c4a9",
    "for-all-mankind.yaml --format csv": "6200d90d1c786080e04ad8a84bf035966c244fc33e24c2c399d8f53ef282c0bc",
    "for-all-mankind.yaml --format markdown": "2089f3a13b57e37525b5b5f47e7cd6a45891790de395532bf56d59cb41f28c54",
    "for-all-mankind.yaml --format timelinejs": "41a1c399ac7754aabb693c5b2f1dc4faa89352e95c2d6f599eae8e887b362d61",
    "for-all-mankind.yaml --format timeline": "a847b589b3059ac0c7ac87ffeb21276da9dae0c812e3fa8140662f7fe6420df2",
    "for-all-mankind.yaml --format parquet": "0746d0956564342ee4671254985fb07265e6a255878bfd6784d95c5a9004c911",
    "roma-eterna.yaml --format json": "3f0a311f2a648923fa3182d1f08cf9c0e19fd1cb158fa372b4f4b16aaa861d51",
    "roma-eterna.yaml --format csv": "4e87f4900a8c0c894b80870fe04876948ee0c64fb5980f025a5c1681735eb69a",
    "roma-eterna.yaml --format markdown": "65ad32c4fc67d9431d17a711d9bcfd8fd5169d2acdcb938d15bafeef21bf3bd6",
    "roma-eterna.yaml --format timelinejs": "c588c240931830e52ad1e774b2ee08426f785d9a8cb3b30fb0f2e894e5c935aa",
    "roma-eterna.yaml --format timeline": "c1f68df25ece494cb38129f8cc60d7eca0e91c3e625ff9228656f6ea6e47e3f4",
    "roma-eterna.yaml --format parquet": "dc32dc693f91fa90fa6bf1dfd1812e259e73c976eb4026ca1feac4127f4645d8",
    "space-race.yaml --format json": "2d60345e5a34083a1b7a6d25e64456da7d84cdb5861c8975346f63b263aab342",
    "space-race.yaml --format csv": "b571e530a57291ce297b67a41c0dcd6929e445ababe73884c7d34026d5bb4c96",
    "space-race.yaml --format markdown": "897745f6196ac0e5777e7e5c66ec2eb29b8cb8e526ba81ddf982a93921b3bf01",
    "space-race.yaml --format timelinejs": "3f972fb3b833a594edac161529722673f3ddb34b71b2df0cf83c805686011712",
    "space-race.yaml --format timeline": "4200d3ede8b936d6647287dee2e1852a71feb8612c37afe63828d281444f1331",
    "space-race.yaml --format parquet": "8f72462b93e0e475ade9ec9a1f6e35027d155e1396f3ad07e4fe42d0c9153dbc",
    "mini.yaml --format json": "a3687344bc0c06e5b6eb8e5ddf9d4246bf1eec2a464d83c6a4bba72cd45b6e0f",
    "mini.yaml --format csv": "9a6d09ae9daf4c9890b6394af147931830af35c13e72865c6508ac12a26f35e6",
    "mini.yaml --format markdown": "f26e39d795a32f567ebb3f1cd624344b1cb2c97e145028d34957cd44b1ff18cd",
    "mini.yaml --format timelinejs": "b7a8cf35e1056618b7e500e73b55538afb51d97c9cdbcec93cd80e1eab2a39e8",
    "mini.yaml --format timeline": "b7cea273ef45c45385496c113c8f3db4a2813ceff1a1ef8ed9563d16d733147e",
    "mini.yaml --format parquet": "25ca22bf1cf9f756ad599f5c3f2794deec25eb570f7cef65f132ac25c1bf46a6",
    "tree.yaml --format json": "cfeb60365f1395cefa0b3c7847651c69e047951fc9251f0dfcf21248c8786c51",
    "tree.yaml --format csv": "338941696011418bf46f588307e510173caf8666f07345305f85074c59042886",
    "tree.yaml --format markdown": "90307bed01a286a6be0804ffcbd05425617b73bad650077fcda73c40e47e765b",
    "tree.yaml --format timelinejs": "cc68720684d1c8d0e873d11c4b754dda233053ddc7436c76d55a620004e18a84",
    "tree.yaml --format timeline": "75818b323c61b0e5fcddbc2826d67cf74d785b01491c048edaa71b8f5adac3b5",
    "tree.yaml --format parquet": "e6d2336ffa405a1c8d6b9a512c5e9895792283c6a088df6e480ed64c2e400194",
    "realistic-600.json --format json": "56a55184937f7fb15a2cf79285214a7bc4d478c98342eb5a9a9796d3a7e3967c",
    "realistic-600.json --format csv": "4ed87f5a0ed5937ed9ce190d27888d8297e4ff908902b12bf4e6c750beb69a76",
    "realistic-600.json --format markdown": "3797b1cbbbe089a3194dbdf8b0bdcc161827b0f70b8d889fc770274e871649fd",
    "realistic-600.json --format timelinejs": "77d385c1ce75d5f803132d8a8c6e5342cbde593d4c8b6c17b7bf4ec936dbb557",
    "realistic-600.json --format timeline": "b75f9a571489c2131cbd0d774fb4fdfc2ef89785597d10133decd74aa434af6f",
    "realistic-600.json --format parquet": "a65885682cdaf7daead3ee270c8b37f2efd55baf741b27ace8a30e3267959b81",
    "tree-600.json --format json": "ca8ee2d682e0b68e224f9cfd628fed09b52d33260396a847c724cf47bb4d35f3",
    "tree-600.json --format csv": "27fc4a6a991153a05bfe2052bfe8e7796107b0c38c49e94be323005b68ed9ed0",
    "tree-600.json --format markdown": "52d3dcf0c3fc2782286a0bff15a7e2844c6c8203278f924a62e1974a1b63e370",
    "tree-600.json --format timelinejs": "439d456e946c89e780417a9281287db1a1a1f2afdba492845341a5d0e164948d",
    "tree-600.json --format timeline": "318c77aabe72acb539dcd16407e57d99ee41bfc6cc48738f52b8435d5ca25893",
    "tree-600.json --format parquet": "60c683713f57c579de44940b114aed38ae3b783fba507527f4a8172a2389cd3f",
}


def input_files(folder: Path) -> dict[str, Path]:
    """The files exported: the shipped seeds, the test files, and two generated timelines
    (written to `folder`)."""
    files = {p.name: p for p in (*sorted(SEEDS.glob("*.yaml")), MINI, TREE)}
    for name, data in (
        ("realistic-600.json", realistic(GENERATED)),
        ("tree-600.json", tree_timeline(GENERATED)),
    ):
        files[name] = folder / name
        files[name].write_text(as_json(data), encoding="utf-8")
    return files


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return input_files(tmp_path_factory.mktemp("generated"))


def exported(path: Path, fmt: str) -> bytes:
    """What `python -m timeline export PATH --format FMT` writes to stdout, run in this process
    (which keeps its own Arrow memory pool: the CLI sets one for the process it runs in)."""
    buffer = io.BytesIO()
    stdout, sys.stdout = sys.stdout, io.TextIOWrapper(buffer, encoding="utf-8", write_through=True)
    pool = pa.default_memory_pool()
    try:
        assert main(["export", str(path), "--format", fmt]) == 0
        sys.stdout.flush()
        return buffer.getvalue()
    finally:
        pa.set_memory_pool(pool)
        sys.stdout.detach()
        sys.stdout = stdout


def digests(files: dict[str, Path], formats: tuple[str, ...] = EXPORT_FORMATS) -> dict[str, str]:
    """SHA-256 of each file's export in each format, keyed as EXPECTED_SHA256 is."""
    return {
        f"{name} --format {fmt}": hashlib.sha256(exported(path, fmt)).hexdigest()
        for name, path in files.items()
        for fmt in formats
    }


def test_the_generated_inputs_are_the_ones_the_expected_outputs_were_taken_from(inputs):
    assert {
        name: hashlib.sha256(inputs[name].read_bytes()).hexdigest() for name in INPUT_SHA256
    } == INPUT_SHA256


def test_every_format_of_every_file_is_byte_for_byte_what_it_was(inputs):
    assert digests(inputs) == EXPECTED_SHA256


def test_slices_of_a_few_rows_write_the_same_text(inputs, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(timeline.export, "CHUNK_ROWS", SMALL_SLICE)
    generated = {name: inputs[name] for name in ("realistic-600.json", "tree-600.json")}
    text = tuple(fmt for fmt in EXPORT_FORMATS if fmt != "parquet")
    expected = {
        f"{n} --format {fmt}": EXPECTED_SHA256[f"{n} --format {fmt}"]
        for n in generated
        for fmt in text
    }
    assert digests(generated, text) == expected


def test_parquet_in_slices_of_a_few_rows_holds_the_same_table(
    inputs, monkeypatch: pytest.MonkeyPatch
):
    # Its bytes differ (a row group per slice); what it holds must not.
    whole = pq.ParquetFile(io.BytesIO(exported(inputs["tree-600.json"], "parquet")))
    monkeypatch.setattr(timeline.export, "CHUNK_ROWS", SMALL_SLICE)
    sliced = pq.ParquetFile(io.BytesIO(exported(inputs["tree-600.json"], "parquet")))
    assert [sliced.metadata.row_group(i).num_rows for i in range(sliced.num_row_groups)] == [
        *[SMALL_SLICE] * (GENERATED // SMALL_SLICE),
        GENERATED % SMALL_SLICE,
    ]
    assert sliced.schema_arrow.metadata == whole.schema_arrow.metadata
    assert sliced.read().equals(whole.read())


if __name__ == "__main__":
    import json
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        files = input_files(Path(folder))
        found = {
            name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in files.items()
        }
        print("INPUT_SHA256 =", json.dumps(found, indent=4))
        print("EXPECTED_SHA256 =", json.dumps(digests(files), indent=4))
