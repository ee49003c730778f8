/// The xoshiro256** pseudo-random generator (Blackman and Vigna), seeded through SplitMix64.
///
/// Small (32 bytes of state), fast (a few cycles per 64 bits), and fully determined by its seed,
/// unlike `SystemRandomNumberGenerator`, which is a system call per draw and cannot be replayed.
/// The state is public so that checkpoints can store and restore it exactly.
public struct Xoshiro256StarStar: RandomNumberGenerator, Equatable, Sendable {
    /// The four state words. Never all zero.
    public var state: (UInt64, UInt64, UInt64, UInt64)

    /// Seeds the state from `seed` with SplitMix64, as the generator's authors recommend.
    public init(seed: UInt64) {
        var splitMix = seed
        func nextSplitMix() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (nextSplitMix(), nextSplitMix(), nextSplitMix(), nextSplitMix())
    }

    /// Restores a generator from saved state words (for example from a checkpoint).
    public init(state: (UInt64, UInt64, UInt64, UInt64)) {
        precondition(state != (0, 0, 0, 0), "xoshiro256** state must not be all zero")
        self.state = state
    }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, by: 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotateLeft(state.3, by: 45)
        return result
    }

    @inlinable
    func rotateLeft(_ value: UInt64, by amount: UInt64) -> UInt64 {
        (value << amount) | (value >> (64 &- amount))
    }

    /// A uniform `Float` in [0, 1) with 24 random bits.
    @inlinable
    public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.state == rhs.state }
}
