@_exported import VAEKernels
