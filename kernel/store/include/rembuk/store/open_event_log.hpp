// Opening the log a command line names: `--store postgres://…` for PostgreSQL, otherwise
// the LMDB log in the `--data` folder (the default).
#pragma once

#include <memory>
#include <string>

#include "rembuk/store/event_log.hpp"

namespace rembuk::store {

struct StoreLocation {
  std::string store;     // empty or "lmdb": LMDB in data_dir; "postgres://…": PostgreSQL
  std::string data_dir;  // the LMDB folder
  bool create_if_missing = true;
};

// A human-readable name of the location, for messages (the URL without its password).
std::string describe(const StoreLocation& location);

StoreResult<std::unique_ptr<EventLog>> open_event_log(const StoreLocation& location);

}  // namespace rembuk::store
