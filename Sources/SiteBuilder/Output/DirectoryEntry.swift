import Foundation

extension dirent {
    /// The entry's file name, as readdir(3) gives it.
    var name: String {
        withUnsafePointer(to: d_name) { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
    }
}
