import SwiftVAE

// Every public signature of the model API, spelled with explicit types so that a change of a
// name, label or type breaks this build.
let data: Matrix = generateSyntheticData(nSamples: 256, nFeatures: 12, randomSeed: 1)
let model: VariationalAutoencoder = try VariationalAutoencoder(
    inputDim: 12, hiddenDim: 32, latentDim: 3, likelihood: .gaussian, seed: 7)
let dims: (Int, Int, Int) = (model.inputDim, model.hiddenDim, model.latentDim)
let parameters: [String: Matrix] = model.parameters
try model.setParameter("b_enc", to: Matrix(rows: 1, columns: 32, repeating: 0))

let batch = Matrix(rows: 4, columns: 12, scalars: Array(data.scalars.prefix(48)))
let (mu, logVar): (Matrix, Matrix) = model.encode(batch)
let z: Matrix = model.reparameterize(mu: mu, logVar: logVar)
let noise = Matrix(rows: 4, columns: 3, repeating: 0.5)
let zFixed: Matrix = model.reparameterize(mu: mu, logVar: logVar, noise: noise)
let decoded: Matrix = model.decode(zFixed)
let forward: (reconstruction: Matrix, mu: Matrix, logVar: Matrix) = model.forward(batch)
let step: (totalLoss: Float, reconLoss: Float, klLoss: Float, gradients: Gradients) =
    model.computeLossAndGradients(batch)
let fixed: (totalLoss: Float, reconLoss: Float, klLoss: Float, gradients: Gradients) =
    model.computeLossAndGradients(batch, noise: noise)
let gradient: Matrix? = fixed.gradients["W_enc"]
let names: [String] = fixed.gradients.names
model.applyGradients(step.gradients, learningRate: 0.01)
let history: TrainingHistory = try trainVAE(model, x: data, epochs: 3, learningRate: 1e-2,
                                            batchSize: 32, seed: 0)
let losses: ([Float], [Float], [Float]) = (history.totalLoss, history.reconLoss, history.klLoss)
let likelihood: Likelihood = .bernoulli
var element: Float = batch[0, 1]
element = Matrix(rows: 2, columns: 2)[1, 1]

print("api-client:", dims, parameters.count, z.rows, decoded.columns, forward.mu.rows,
      gradient?.rows ?? 0, names.count, losses.0.count, likelihood.rawValue, element,
      "final loss", history.totalLoss.last!)
