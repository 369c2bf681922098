// MasterplanMembers: who is a member of a masterplan, without loading the masterplan.
//
// Every read of a signed-in person asks whether they are a member. For a masterplan the
// engine has loaded that is a glance at its state; the masterplan list and the overview ask
// it of every masterplan of the log, and loading each one for that (a city masterplan is
// about 50 ms and 4 MB) made one person's list cost a national node every masterplan's
// memory. This keeps, per masterplan asked about, only what the question needs: whether it
// exists, its city name and its members, at a version of the stream.
//
// A masterplan is read once from its latest snapshot's content and the events after it;
// later, a question first compares the stream's revision with the version kept and folds
// the events in between. Only the events that change the identity or the members are
// applied (through model::apply_in_place, the same handlers as the full state), so what is
// kept never grows with the rest of the masterplan.
//
// Thread safety: people() may be called from any thread; one masterplan's entry is read and
// brought up to date under one lock.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "command_path.hpp"
#include "rembuk/common/result.hpp"
#include "rembuk/model/state.hpp"
#include "rembuk/store/event_log.hpp"

namespace rembuk::server {

class MasterplanMembers {
 public:
  // REQUIRES: `log` outlives this object.
  explicit MasterplanMembers(store::EventLog& log) : log_(log) {}

  // What people() of the CommandPath answers, as of the stream's current revision.
  Result<MasterplanPeople, std::string> people(std::string_view masterplan, std::string_view user);

  // Whether events of `type` change what is kept (the identity or the members).
  static bool kept(std::string_view type);

 private:
  struct Entry {
    std::mutex mutex;
    model::MasterplanState state;  // only the events kept() names are applied
  };

  Result<Unit, std::string> load(Entry& entry, std::string_view masterplan);
  Result<Unit, std::string> catch_up(Entry& entry, std::string_view masterplan,
                                     store::Revision revision);

  store::EventLog& log_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Entry>, std::less<>> entries_;  // GUARDED_BY(mutex_)
};

}  // namespace rembuk::server
