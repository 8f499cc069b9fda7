// Authenticated-channel workloads: what an application does for one query or one configure
// (spec §1.3 step 5, §5.3, §5.4), on a channel keyed and INITIALIZEd at setup.
#include <memory>
#include <string>
#include <vector>

#include "bench/workloads.h"
#include "conform/channel.h"
#include "wire/channel_messages.h"

namespace cpddi::bench {
namespace {

using conform::channel::Message;

// An adapter, a device and a channel brought to Initialized by conform::Channel (certificate
// check, key exchange of a random key, INITIALIZE with random start values).
struct InitializedChannel {
  explicit InitializedChannel(const Rig& rig)
      : adapter(rig.open_adapter(BltThreads::kOne)),
        device(std::make_unique<conform::Device>(*adapter)),
        channel(std::make_unique<conform::Channel>(*device)) {}

  // The application's check of a reply, through the helpers cpddi::app's AuthenticatedChannel
  // uses: the driver's tag over [16, size) under the channel key, compared in constant time,
  // and the sequence number echoed.
  void verify(const conform::Bytes& output, std::uint32_t sequence, const char* what) const {
    const Result<bool> tag_ok = wire::message_mac_verifies(*channel->key(), output, output.size());
    conform::require(tag_ok.has_value() && *tag_ok, std::string(what) + " output OMAC verifies",
                     "it does not");
    const std::uint32_t echoed = wire::read_output_header(output).sequence_number;
    conform::require(echoed == sequence, std::string(what) + " output echoes the sequence number",
                     std::to_string(echoed));
  }

  std::unique_ptr<conform::Adapter> adapter;
  std::unique_ptr<conform::Device> device;
  std::unique_ptr<conform::Channel> channel;
};

// QUERY_PROTECTION: set the next number in the (unsigned) input, call, verify the signed output.
class ChannelQueryWorkload final : public Workload {
 public:
  explicit ChannelQueryWorkload(const Rig& rig)
      : ready_(rig),
        input_(ready_.channel->query_input(conform::channel::query_protection(), 0)),
        output_(conform::channel::query_protection().output.size) {}
  void run_once() override {
    const std::uint32_t sequence = ready_.channel->next_query();
    ready_.channel->set_next_query(sequence + 1);
    input_.set_uint_at(conform::channel::kQueryInputSequenceOffset, sequence);
    conform::expect_hr(ready_.device->calls().query_authenticated_channel(
                           input_.bytes().data(), static_cast<UINT>(input_.bytes().size()),
                           output_.data(), static_cast<UINT>(output_.size())),
                       S_OK, "QueryAuthenticatedChannel(PROTECTION)");
    ready_.verify(output_, sequence, "QueryAuthenticatedChannel(PROTECTION)");
  }

 private:
  InitializedChannel ready_;
  Message input_;
  conform::Bytes output_;
};

// CONFIGURE_PROTECTION (ProtectionEnabled, the same state every time): set the next number, sign
// the input, call, verify the signed output.
class ChannelConfigureWorkload final : public Workload {
 public:
  explicit ChannelConfigureWorkload(const Rig& rig)
      : ready_(rig),
        input_(ready_.channel->configure_input(conform::channel::configure_protection(), 0)),
        output_(conform::channel::kConfigureOutput.size) {
    input_.set_uint(1, 1);  // D3DAUTHENTICATEDCHANNEL_PROTECTION_FLAGS.ProtectionEnabled
  }
  void run_once() override {
    const std::uint32_t sequence = ready_.channel->next_configure();
    ready_.channel->set_next_configure(sequence + 1);
    input_.set_uint_at(conform::channel::kConfigureInputSequenceOffset, sequence);
    ready_.channel->sign(input_.bytes());
    conform::expect_hr(ready_.device->calls().configure_authenticated_channel(
                           input_.bytes().data(), static_cast<UINT>(input_.bytes().size()),
                           output_.data()),
                       S_OK, "ConfigureAuthenticatedChannel(PROTECTION)");
    ready_.verify(output_, sequence, "ConfigureAuthenticatedChannel(PROTECTION)");
  }

 private:
  InitializedChannel ready_;
  Message input_;
  conform::Bytes output_;
};

}  // namespace

WorkloadPtr make_channel_query(const Rig& rig) {
  return std::make_unique<ChannelQueryWorkload>(rig);
}

WorkloadPtr make_channel_configure(const Rig& rig) {
  return std::make_unique<ChannelConfigureWorkload>(rig);
}

std::vector<std::size_t> channel_query_macs() {
  // The driver signs the output's [16, N) and the application verifies the same range; the
  // input carries no OMAC (spec §5.8).
  const std::size_t out = conform::channel::query_protection().output.size - 16;
  return {out, out};
}

std::vector<std::size_t> channel_configure_macs() {
  // The application signs the input's [16, N), the driver verifies it, then the driver signs
  // CONFIGURE_OUTPUT's [16, 44/48) and the application verifies that (spec §5.8).
  const std::size_t in = conform::channel::configure_protection().input.size - 16;
  const std::size_t out = conform::channel::kConfigureOutput.size - 16;
  return {in, in, out, out};
}

}  // namespace cpddi::bench
