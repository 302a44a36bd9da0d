"""Every CLI export, byte for byte, as the code before the memory work of issue 18 wrote it.

The expected digests were taken from that code (commit 1fe37c7): a change that only saves
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
    "for-all-mankind.yaml": "c7cb3591be6100eb0818ab37672aed24726feb05c67844957d382554f05c4c17",
    "roma-eterna.yaml": "d4d85c55f40dacfa0fc1f4a32d14a35d3e28f20320fbe00924fe2851668ec1b1",
    "space-race.yaml": "7cf06e94aa881e0483abfa31ceb39080206310cb48c521f5fe7084c37a4dbbdb",
    "mini.yaml": "1315efbf82426378d03b77c49404c59479ada6bcc3c92ac528fde06b34fee391",
    "tree.yaml": "aca5d9ebfcb9d73b76fa1a33c8a63a81d5cc67e38d7d13e43b6cc2bb3526dd80",
    "realistic-600.json": "97dcd421626fe58e51f46438a5e7a7829afc8ba84160ca7ddb9ded84750513df",
    "tree-600.json": "eb42d3560017f649576c7d314750d7e442e002667b811a22a314a70db61b1f2a",
}

# SHA-256 of `python -m timeline export FILE --format F`'s stdout, per file and format.
EXPECTED_SHA256 = {
    "for-all-mankind.yaml --format json": "6e29a0e77f648e2726986befd8e9d654959bb1a035e10ea06ec16897ff8433a2",
    "for-all-mankind.yaml --format csv": "b832d0c6708fe54ad1aa434c197965148fedc2e67e7ea53e05a6264d67d8488b",
    "for-all-mankind.yaml --format markdown": "8f0dcc14118da7b383d3e6d03ee218d98b03dc5b0e3bdb1c472e491035ccb371",
    "for-all-mankind.yaml --format timelinejs": "0a4f46009d5219f3122ca6472714e79153bfc1b672f49f27c42172503b31a206",
    "for-all-mankind.yaml --format timeline": "98f159150926b23a342b863e1400e6389e5b959098be5074d4565d835b54e717",
    "for-all-mankind.yaml --format parquet": "1519530f292c6c0d32e41bd73d2575fc3ef013901d68fc1764aa318f66ed5ee7",
    "roma-eterna.yaml --format json": "3f0a311f2a648923fa3182d1f08cf9c0e19fd1cb158fa372b4f4b16aaa861d51",
    "roma-eterna.yaml --format csv": "4e87f4900a8c0c894b80870fe04876948ee0c64fb5980f025a5c1681735eb69a",
    "roma-eterna.yaml --format markdown": "65ad32c4fc67d9431d17a711d9bcfd8fd5169d2acdcb938d15bafeef21bf3bd6",
    "roma-eterna.yaml --format timelinejs": "c588c240931830e52ad1e774b2ee08426f785d9a8cb3b30fb0f2e894e5c935aa",
    "roma-eterna.yaml --format timeline": "c1f68df25ece494cb38129f8cc60d7eca0e91c3e625ff9228656f6ea6e47e3f4",
    "roma-eterna.yaml --format parquet": "dc32dc693f91fa90fa6bf1dfd1812e259e73c976eb4026ca1feac4127f4645d8",
    "space-race.yaml --format json": "3e5dea379be2725854069b12a049a5658d9d49a6fe8518c9597b11d006a4723f",
    "space-race.yaml --format csv": "24e9102b73636df471796540aa5167302a2d869f923c8b3aee30d8977e61d880",
    "space-race.yaml --format markdown": "52991c04388970746100af754628badfbd3c8d31f72194a06926c23330842677",
    "space-race.yaml --format timelinejs": "19bdf3e3752b27b049e8d31a4e8619c23e325d6068a437f5a56d9f4ecec6961c",
    "space-race.yaml --format timeline": "2279775e645514c6622506fe2d0f588a1dc5dafceca149c2c206eb9f00ed483d",
    "space-race.yaml --format parquet": "062b763a34bc0aba726f75e5e592f7007f0914d06564cc41730ac0ee290e2a8e",
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
    "realistic-600.json --format json": "349ebbab3863e93d403ef163f3514f5cbcfa88b8f494cc233081584fea0cc28f",
    "realistic-600.json --format csv": "aa0309c7d7480387b15e07328e8ccb3f4c872b51a041213606a4ba9533cf636a",
    "realistic-600.json --format markdown": "1657f8c1e813e9086f8e88ba753441abdc624779846f77b5f82595f682e31998",
    "realistic-600.json --format timelinejs": "94e3bf6abe9da5a21e923449b068e271fa9684ee1db8a17f96afb5c7dbc18fa6",
    "realistic-600.json --format timeline": "43578f3412cd0c49cc61735bcfdd55aa8bd56fcf4a699a64243b92a0b1e72906",
    "realistic-600.json --format parquet": "d1cddefb4add35e70e958a306f322962ec70cf82b30bd3a6021648647c4b78df",
    "tree-600.json --format json": "838aede9f5aa50607529a1b83ee29573ea66588d789bc85885de77845ca2c335",
    "tree-600.json --format csv": "8bd930c2f37ecb04b72208bf1f5a0b20895fe15ece8e37286e516a475ccc2c6d",
    "tree-600.json --format markdown": "6c9aa8be43fe9ac39d6544ec4aa3652a5c90b550b3150862f7b4b333bcf31c35",
    "tree-600.json --format timelinejs": "54ca19f50a5c9e3e3525e1be607932d7c5edaddc3d522c92a97307e96f010d80",
    "tree-600.json --format timeline": "9934a6e01b4be80bd08999e8b93c9293c6b15c446b4302c97d87fb2d89abb42c",
    "tree-600.json --format parquet": "b589272899f056234320d79db93f994d24b47a6b5bfac1408321bf9c53d6090d",
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
