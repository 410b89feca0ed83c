# Sourced by the run and test scripts: the environment every build shares.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# wasm-opt from npm's binaryen, for release builds (cargo-leptos cannot download it here).
export PATH="$ROOT/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# cargo-leptos adds `--cfg erase_components` to debug builds by itself (on top
# of any RUSTFLAGS); plain cargo commands get the same flag through `cargo_plain`
# (and the output name leptos reads at compile time) so that both reuse one
# build cache instead of recompiling everything.
unset RUSTFLAGS
cargo_plain() { LEPTOS_OUTPUT_NAME=roster RUSTFLAGS="--cfg erase_components" cargo "$@"; }
