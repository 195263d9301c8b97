//! The crate's own `uniffi-bindgen` (as the uniffi docs recommend), so the generator always
//! matches the uniffi version the library was built with. Used by `scripts/swift/generate.sh`.
fn main() {
    uniffi::uniffi_bindgen_main()
}
