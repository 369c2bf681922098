// How failures inside the store become the Error values of its public edge.
//
// Inside the library, LMDB failures travel as lmdb::LmdbError and store-level failures (a
// record that does not decode) as StoreException; every public entry point catches both
// and returns a StoreResult.
#pragma once

#include <exception>
#include <string>
#include <utility>

#include "lmdb_handles.hpp"
#include "rembuk/store/event_log.hpp"

namespace rembuk::store {

class StoreException : public std::exception {
 public:
  explicit StoreException(Error error) : error_(std::move(error)) {}
  const Error& error() const { return error_; }
  const char* what() const noexcept override { return error_.message.c_str(); }

 private:
  Error error_;
};

[[noreturn]] inline void throw_corrupt(std::string message) {
  throw StoreException(Error{ErrorCode::corrupt, std::move(message)});
}

// ENOSPC and EDQUOT mean the disk is full; any other failure is an I/O error.
Error error_from_lmdb(const lmdb::LmdbError& e);

// Runs `body` and turns the store's internal exceptions into a failed StoreResult.
template <typename T, typename Body>
StoreResult<T> guarded(Body&& body) {
  try {
    return body();
  } catch (const StoreException& e) {
    return fail(e.error());
  } catch (const lmdb::LmdbError& e) {
    return fail(error_from_lmdb(e));
  } catch (const std::bad_alloc&) {
    return fail(Error{ErrorCode::io_error, "out of memory"});
  }
}

}  // namespace rembuk::store
