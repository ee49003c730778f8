/// A fixed-size, 64-byte-aligned, zero-initialised buffer of `Float`s that owns its memory.
///
/// Kernels take raw pointers; this is the one place in `VAEKernels` that allocates. Allocate once,
/// up front, and reuse: the pointer is stable for the lifetime of the buffer.
public final class AlignedBuffer: @unchecked Sendable {
    /// Number of `Float` elements.
    public let count: Int
    /// The storage: 64-byte aligned so that SIMD16 loads never straddle a cache line.
    public let baseAddress: UnsafeMutablePointer<Float>

    /// Alignment of every buffer in bytes (one cache line, one 512-bit vector).
    public static let alignment = 64

    /// Allocates `count` zeroed floats. `count` may be 0 (a one-element block is still allocated so
    /// that `baseAddress` is valid).
    public init(count: Int) {
        precondition(count >= 0, "AlignedBuffer count must be non-negative, got \(count)")
        self.count = count
        let byteCount = max(count, 1) * MemoryLayout<Float>.stride
        let raw = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: Self.alignment)
        baseAddress = raw.initializeMemory(as: Float.self, repeating: 0, count: max(count, 1))
    }

    deinit {
        baseAddress.deinitialize(count: max(count, 1))
        UnsafeMutableRawPointer(baseAddress).deallocate()
    }

    /// A buffer pointer over the elements.
    @inlinable
    public var buffer: UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(start: baseAddress, count: count)
    }

    /// Sets every element to `value`.
    public func fill(with value: Float) {
        baseAddress.update(repeating: value, count: count)
    }
}
