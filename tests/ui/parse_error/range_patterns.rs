//@ edition: 2015
// `...` range patterns (editions 2015 and 2018) parse as they are, also in a file that needs
// another rewrite (the bare `Fn` below).
pub type Classifier = Box<Fn(u8) -> u8>;

pub fn classify(c: u8) -> u8 {
    match c {
        b'a'...b'z' | b'A'...b'Z' => { std::thread::spawn(|| loop {}); 1 } //~ detached_spawn
        0...9 => 2,
        _ => 0,
    }
}
