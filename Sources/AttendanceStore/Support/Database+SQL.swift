import FluentKit
import Logging
import NIOCore
import SQLKit

// The two places the store may force a value, each by construction; everything else unwraps or throws.

extension Database {
    /// The database as SQLKit sees it: the store configures only SQLite and PostgreSQL, both SQL drivers.
    var sqlDatabase: any SQLDatabase {
        // swift-format-ignore: NeverForceUnwrap
        self as! any SQLDatabase  // by construction: every driver the store configures is an SQL driver
    }
}

extension Databases {
    /// A connection source for the default configuration, which the store sets in its initialiser.
    func configured(logger: Logger, on loop: any EventLoop) -> any Database {
        // swift-format-ignore: NeverForceUnwrap
        database(logger: logger, on: loop)!  // by construction: Store.init configures a default before any use
    }
}
