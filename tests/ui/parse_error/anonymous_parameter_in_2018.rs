//@ edition: 2018
// Edition 2018 rejects a parameter without a name, so it is not rewritten.
pub trait Sampler {
    fn reseed(&mut self, u8); //~ parse_error
}
