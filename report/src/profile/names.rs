//! Function names as a reader wants them: Rust symbols demangled, their
//! hashes dropped, generic arguments shortened to `<…>` (so the
//! monomorphised copies of one function are one row), with the crate each
//! belongs to.

/// The readable name of `symbol` (mangled, or already demangled by valgrind):
/// `tokio::runtime::task::raw::poll`, `<smol::Timer as core::future::future::Future>::poll`,
/// `alloc::vec::Vec<…>::push`. A symbol that is not Rust's stays as it is.
pub fn readable(symbol: &str) -> String {
    // Callgrind marks a recursion level (`f'2`) and, with
    // `--separate-callers`, the callers (`f'g'h`) after a `'`: all are `f`.
    let symbol = symbol.split('\'').next().unwrap_or(symbol);
    let demangled = match rustc_demangle::try_demangle(symbol) {
        // `{:#}` leaves out the hash.
        Ok(name) => format!("{name:#}"),
        Err(_) => without_hash(symbol).to_owned(),
    };
    // `;` separates frames in folded stacks (`[u8; 4]`).
    shorten_generics(&demangled).replace(';', ",")
}

/// `name` without the `::h0123456789abcdef` a legacy Rust symbol ends with
/// once valgrind has demangled it.
fn without_hash(name: &str) -> &str {
    match name.rsplit_once("::h") {
        Some((head, hash)) if hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()) => {
            head
        }
        _ => name,
    }
}

/// Generic arguments replaced by `…`: `Vec<T, A>::push` → `Vec<…>::push`.
/// A qualified path's own brackets (`<A as B>::f`, which open a path
/// segment) stay, with the generics inside them shortened.
fn shorten_generics(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    // Depth inside an elided generic list; 0 outside one.
    let mut elided = 0usize;
    for (i, c) in name.char_indices() {
        match c {
            '<' if elided > 0 => elided += 1,
            // `core::num::<impl usize>::f`: an impl block is a path segment.
            '<' if opens_segment(&out) || name[i..].starts_with("<impl ") => out.push('<'),
            '<' => {
                out.push_str("<…>");
                elided = 1;
            }
            '>' if elided > 0 => elided -= 1,
            _ if elided > 0 => {}
            _ => out.push(c),
        }
    }
    out
}

/// Whether a `<` after `before` opens a qualified path (`<A as B>`) rather
/// than a type's generic arguments (after a name, or `::<` after a path):
/// at the start, after another `<`, a space, `&` or `(`.
fn opens_segment(before: &str) -> bool {
    before.is_empty()
        || before.ends_with('<')
        || before.ends_with(' ')
        || before.ends_with('&')
        || before.ends_with('(')
}

/// The crate a readable name belongs to: the first path segment, or for a
/// qualified path `<A as B>::f` the crate of `A` (the type the code is for),
/// of `B` where `A` is not a path (`<usize as core::iter::Step>`); drop glue
/// (`core::ptr::drop_in_place<…>`) counts as core's. std, core, alloc and
/// the allocator shims (`__rustc::…`) are one group, `std`. Code that is not Rust's is grouped by the
/// file it was loaded from: `libc`, `ld.so`, `valgrind`, or the file's name;
/// `[unknown]` where not even that is known.
pub fn crate_of(name: &str, object: &str) -> String {
    let path = name.trim_start_matches(['<', '&', '[', '(', '*']);
    let path = ["mut ", "const ", "dyn "]
        .iter()
        .fold(path, |p, prefix| p.strip_prefix(prefix).unwrap_or(p));
    let own_type = path.split([' ', '<', '>', ';']).next().unwrap_or("");
    let path = match path.split_once(" as ") {
        Some((_, trait_path)) if !own_type.contains("::") => trait_path,
        _ => path,
    };
    match path.split_once("::") {
        Some((first, _)) if is_identifier(first) => match first {
            // `__rustc::__rust_alloc` and the like: std's allocator shims.
            "std" | "core" | "alloc" | "__rustc" => "std".to_owned(),
            other => other.to_owned(),
        },
        _ => object_group(object),
    }
}

fn is_identifier(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The group of code loaded from `object` (a path).
fn object_group(object: &str) -> String {
    let file = object.rsplit('/').next().unwrap_or(object);
    if file.starts_with("libc.so") || file.starts_with("libc-") || file.starts_with("libm.so") {
        "libc".to_owned()
    } else if file.starts_with("ld-linux") || file.starts_with("ld-") {
        "ld.so".to_owned()
    } else if file.starts_with("vgpreload") {
        "valgrind".to_owned()
    } else if file.is_empty() || file == "???" {
        "[unknown]".to_owned()
    } else {
        file.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_and_v0_symbols_demangle_without_hash() {
        assert_eq!(
            readable("_ZN5tokio7runtime4task3raw4poll17h0123456789abcdefE"),
            "tokio::runtime::task::raw::poll"
        );
        assert_eq!(
            readable("tokio::runtime::task::raw::poll::h0123456789abcdef"),
            "tokio::runtime::task::raw::poll"
        );
        // A recursion level, and a symbol LLVM made local.
        assert_eq!(
            readable("_ZN9once_cell3imp18initialize_or_wait17hde8a6c5ab4514278E'2"),
            "once_cell::imp::initialize_or_wait"
        );
        assert_eq!(
            readable(
                "_ZN3std2rt10lang_start28_$u7b$$u7b$closure$u7d$$u7d$17h80019f0894de4e5aE.llvm.6084466282030461252"
            ),
            "std::rt::lang_start::{{closure}}"
        );
        // v0, from rustc-demangle's own tests: `<core::slice::Iter<u8> as
        // core::iter::iterator::Iterator>::rposition::<core::slice::memchr::
        // memrchr::{closure#1}>::{closure#0}`; the turbofish is generic too.
        assert_eq!(
            readable(
                "_RNCINkXs25_NgCsbmNqQUJIY6D_4core5sliceINyB9_4IterhENuNgNoBb_4iter8iterator\
                 8Iterator9rpositionNCNgNpB9_6memchr7memrchrs_0E0Bb_"
            ),
            "<core::slice::Iter<…> as core::iter::iterator::Iterator>::rposition::<…>::{closure#0}"
        );
    }

    #[test]
    fn generics_shorten_and_qualified_paths_stay() {
        assert_eq!(
            shorten_generics("alloc::vec::Vec<T,A>::push"),
            "alloc::vec::Vec<…>::push"
        );
        assert_eq!(
            shorten_generics(
                "<futures_lite::future::Or<F1,F2> as core::future::future::Future>::poll"
            ),
            "<futures_lite::future::Or<…> as core::future::future::Future>::poll"
        );
        assert_eq!(
            shorten_generics("core::ptr::drop_in_place<tokio::task::JoinHandle<()>>"),
            "core::ptr::drop_in_place<…>"
        );
        assert_eq!(shorten_generics("memcpy"), "memcpy");
        assert_eq!(readable("f<[u8; 4]>::g"), "f<…>::g");
    }

    #[test]
    fn crates_are_the_path_or_the_object() {
        let bin = "/x/rtbench";
        assert_eq!(crate_of("tokio::runtime::task::raw::poll", bin), "tokio");
        assert_eq!(
            crate_of("<smol::Timer as core::future::future::Future>::poll", bin),
            "smol"
        );
        assert_eq!(crate_of("<&mut std::io::Stdout as x::Y>::f", bin), "std");
        assert_eq!(crate_of("alloc::vec::Vec<…>::push", bin), "std");
        assert_eq!(
            crate_of("<usize as core::slice::index::SliceIndex<…>>::index", bin),
            "std"
        );
        assert_eq!(
            crate_of("<[u8] as hdrhistogram::Counter>::f", bin),
            "hdrhistogram"
        );
        assert_eq!(
            readable("core::num::<impl usize>::unchecked_add"),
            "core::num::<impl usize>::unchecked_add"
        );
        assert_eq!(crate_of("core::ptr::drop_in_place<…>", bin), "std");
        assert_eq!(
            crate_of("rtbench_workloads::sleep::run::{{closure}}", bin),
            "rtbench_workloads"
        );
        assert_eq!(
            crate_of(
                "__memcpy_avx_unaligned_erms",
                "/usr/lib/x86_64-linux-gnu/libc.so.6"
            ),
            "libc"
        );
        assert_eq!(
            crate_of("_dl_runtime_resolve", "/lib64/ld-linux-x86-64.so.2"),
            "ld.so"
        );
        assert_eq!(crate_of("0x0000000004875220", "???"), "[unknown]");
        assert_eq!(crate_of("malloc", "/usr/lib/libfoo.so"), "libfoo.so");
    }
}
