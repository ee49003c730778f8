// Standard normal noise by a vectorized Box-Muller transform. Each 64-bit draw of the generator
// gives two 23-bit uniforms, u1 = 1 - (bits 41...63) 2^-23 in (0, 1] and
// u2 = (bits 9...31) 2^-23 in [0, 1); eight draws make sixteen normals:
// r = sqrt(-2 log u1), and (r cos 2 pi u2, r sin 2 pi u2). The angle is reduced in turns, not
// radians: u2 = q/4 + f with |f| <= 1/8 is exact in Float, so sin and cos only need polynomials
// on [-pi/4, pi/4] and a quadrant swap.

/// Fills `output[0..<count]` with independent standard normal samples drawn from `generator`.
///
/// Deterministic: the same generator state and `count` give the same values on every run, and the
/// generator advances by `8 * ceil(count / 16)` draws. Within a few ulp of the Box-Muller values
/// computed in `Double` from the same uniforms. Allocates nothing.
public func fillStandardNormal(
    _ output: UnsafeMutablePointer<Float>, count: Int, generator: inout Xoshiro256StarStar
) {
    precondition(count >= 0, "fillStandardNormal: negative count \(count)")
    var index = 0
    while index < count {
        // Lanes are filled by one 8-argument initializer: a per-lane store loop compiles to
        // compare-and-blend sequences and ran several times slower.
        let d0 = generator.next(), d1 = generator.next(), d2 = generator.next()
        let d3 = generator.next(), d4 = generator.next(), d5 = generator.next()
        let d6 = generator.next(), d7 = generator.next()
        let high = SIMD8<UInt32>(
            UInt32(truncatingIfNeeded: d0 >> 41), UInt32(truncatingIfNeeded: d1 >> 41),
            UInt32(truncatingIfNeeded: d2 >> 41), UInt32(truncatingIfNeeded: d3 >> 41),
            UInt32(truncatingIfNeeded: d4 >> 41), UInt32(truncatingIfNeeded: d5 >> 41),
            UInt32(truncatingIfNeeded: d6 >> 41), UInt32(truncatingIfNeeded: d7 >> 41))
        let low = SIMD8<UInt32>(
            UInt32(truncatingIfNeeded: d0 >> 9), UInt32(truncatingIfNeeded: d1 >> 9),
            UInt32(truncatingIfNeeded: d2 >> 9), UInt32(truncatingIfNeeded: d3 >> 9),
            UInt32(truncatingIfNeeded: d4 >> 9), UInt32(truncatingIfNeeded: d5 >> 9),
            UInt32(truncatingIfNeeded: d6 >> 9), UInt32(truncatingIfNeeded: d7 >> 9))
        // 23 random bits into the mantissa of a float in [1, 2): exact, no int-to-float convert.
        let u1 = 2 - unsafeBitCast(high | 0x3F80_0000, to: SIMD8<Float>.self)              // (0, 1]
        let u2 = unsafeBitCast((low & 0x7F_FFFF) | 0x3F80_0000, to: SIMD8<Float>.self) - 1 // [0, 1)
        let (cosine, sine) = boxMuller(u1, u2)
        let remaining = count &- index
        if remaining >= 16 {
            storeVector(cosine, to: output + index)
            storeVector(sine, to: output + (index &+ 8))
        } else {
            storePartial(cosine, to: output + index, count: min(remaining, 8))
            if remaining > 8 { storePartial(sine, to: output + (index &+ 8), count: remaining &- 8) }
        }
        index &+= 16
    }
}

/// The Box-Muller pair for uniforms `u1` in (0, 1] and `u2` in [0, 1).
@inline(__always)
func boxMuller(_ u1: SIMD8<Float>, _ u2: SIMD8<Float>) -> (SIMD8<Float>, SIMD8<Float>) {
    typealias V = SIMD8<Float>
    let radius = vectorSquareRoot(-2 * vectorLog(u1))
    // Quadrant q = round(4 u2) in 0...4 and the remaining fraction of a turn, |f| <= 1/8.
    let magicRound: Float = 0x1.8p23
    let quarterTurns = (4 * u2 + magicRound) - magicRound
    let angle = (u2 - 0.25 * quarterTurns) * (2 * Float.pi)   // in [-pi/4, pi/4]
    let angle2 = angle * angle
    // Minimax polynomials for sin and cos on [-pi/4, pi/4] (Cephes sinf/cosf coefficients).
    var sine = V(repeating: -1.9515295891e-4)
    sine = V(repeating: 8.3321608736e-3).addingProduct(sine, angle2)
    sine = V(repeating: -1.6666654611e-1).addingProduct(sine, angle2)
    sine = angle.addingProduct(sine * angle2, angle)
    var cosine = V(repeating: 2.443315711809948e-5)
    cosine = V(repeating: -1.388731625493765e-3).addingProduct(cosine, angle2)
    cosine = V(repeating: 4.166664568298827e-2).addingProduct(cosine, angle2)
    cosine = (V(repeating: 1) - 0.5 * angle2).addingProduct(cosine * angle2, angle2)
    // Rotate by q quarter turns: (cos, sin) of a + q pi/2. Done with integer bit operations:
    // `replacing(with:where:)` on masks from integer compares compiled to a per-lane loop.
    let quadrant = unsafeBitCast(quarterTurns + magicRound, to: SIMD8<UInt32>.self) & 3
    let swap = 0 &- (quadrant & 1)                       // all ones for odd quadrants
    let cosineSign = ((quadrant &+ 1) & 2) &<< 30          // negate cos for q = 1, 2
    let sineSign = (quadrant & 2) &<< 30                   // negate sin for q = 2, 3
    let cosineBits = unsafeBitCast(cosine, to: SIMD8<UInt32>.self)
    let sineBits = unsafeBitCast(sine, to: SIMD8<UInt32>.self)
    let rotatedCosine = unsafeBitCast(
        ((cosineBits & ~swap) | (sineBits & swap)) ^ cosineSign, to: V.self)
    let rotatedSine = unsafeBitCast(
        ((sineBits & ~swap) | (cosineBits & swap)) ^ sineSign, to: V.self)
    return (radius * rotatedCosine, radius * rotatedSine)
}
