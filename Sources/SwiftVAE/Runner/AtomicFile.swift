import Foundation

/// Writes files so that a crash never leaves a half-written one: the data goes to a temporary
/// file in the destination's folder, is flushed, and is renamed over the destination.
public enum AtomicFile {
    /// Throws when `url`'s folder does not exist or is not a folder: checked before any work.
    public static func checkWritableDestination(_ url: URL) throws(RunnerError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw RunnerError.usage("output \(url.path) is a folder, not a file")
        }
        let folder = url.deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory),
              isDirectory.boolValue else {
            throw RunnerError.usage("output folder \(folder.path) does not exist")
        }
        guard FileManager.default.isWritableFile(atPath: folder.path) else {
            throw RunnerError.usage("output folder \(folder.path) is not writable")
        }
    }

    /// Writes `data` to `url` through a temporary file in the same folder, flushed and renamed.
    public static func write(_ data: Data, to url: URL) throws(RunnerError) {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(
            ".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
                throw RunnerError.failure("cannot create \(temporary.path)")
            }
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
            if rename(temporary.path, url.path) != 0 {
                throw RunnerError.failure("cannot rename \(temporary.path) to \(url.path): \(String(cString: strerror(errno)))")
            }
        } catch let error as RunnerError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw RunnerError.failure("cannot write \(url.path): \(error.localizedDescription)")
        }
    }
}
