fn main() {
    for a in std::env::args().skip(1) {
        for t in passage_linkage::normalize::name_tokens(&a) {
            println!("{a}: {} {} {}", t.text, t.canonical, t.phonetic);
        }
    }
}
