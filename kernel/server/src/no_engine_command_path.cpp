// Built when kernel/engine is absent: every submit is answered `unavailable`.
#include "command_path.hpp"

namespace rembuk::server {
namespace {

class NoEngineCommandPath final : public CommandPath {
 public:
  void submit(SubmitRequest, std::function<void(SubmitResult)> done) override {
    SubmitResult result;
    result.code = "unavailable";
    result.message = "this server was built without the command engine";
    done(std::move(result));
  }
  std::optional<Result<StateAt, std::string>> state(std::string_view,
                                                    std::optional<std::uint64_t>,
                                                    std::optional<std::int64_t>) override {
    return std::nullopt;
  }
  std::optional<Result<MasterplanPeople, std::string>> people(std::string_view,
                                                              std::string_view) override {
    return std::nullopt;
  }
};

}  // namespace

std::unique_ptr<CommandPath> make_command_path(store::EventLog&, engine::CommandEngine*) {
  return std::make_unique<NoEngineCommandPath>();
}

}  // namespace rembuk::server
