// The kernels are part of the public surface: users with their own buffers call them directly.
@_exported import VAEKernels
