import Foundation
import SwiftVAE

exit(VAECommandLine.run(arguments: Array(CommandLine.arguments.dropFirst())))
