package vn.ndx.exchange.registry;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.annotation.PartitionOffset;
import org.springframework.kafka.annotation.TopicPartition;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.RegistrySnapshot;
import vn.ndx.contract.RegistrySnapshot.Egress;
import vn.ndx.contract.RegistrySnapshot.Service;
import vn.ndx.contract.RegistrySnapshotReader;
import vn.ndx.contract.ServiceAddress;
import vn.ndx.contract.Topics;
import vn.ndx.web.registry.RegistryTrustProperties;
import vn.ndx.web.registry.SignedRegistryView;

/**
 * The registry's channels as replicated to this exchange over Kafka ({@link SignedRegistryView}): the
 * exchange never calls the registry.
 */
@Component("registryView")
public class RegistryView extends SignedRegistryView<RegistryView.Channels> {

    /** The channels by {@code agency/system/channel}, and each agency's egress allowance. */
    record Channels(Map<String, Service> byKey, Map<String, Egress> egress) {
    }

    RegistryView(JsonMapper json, MeterRegistry meters, RegistryTrustProperties trust) {
        super("exchange", json, meters, trust);
    }

    @Override
    protected Channels view(RegistrySnapshot snapshot, RegistrySnapshotReader.Rejections rejections) {
        return new Channels(snapshot.services().stream()
                .filter(service -> service.kind() == Service.Kind.CHANNEL)
                .collect(Collectors.toUnmodifiableMap(s -> s.address().toString(), Function.identity())),
                snapshot.egress().stream().collect(Collectors.toUnmodifiableMap(Egress::agencyCode, Function.identity(), (a, b) -> a)));
    }

    /** The channel {@code code} owned by an agency's system, if the registry has it. */
    public @Nullable Service channel(String agency, String system, String code) {
        Channels channels = view();
        return channels == null ? null : channels.byKey().get(new ServiceAddress(agency, system, code).toString());
    }

    /** Every channel the registry has. */
    public List<Service> channels() {
        Channels channels = view();
        return channels == null ? List.of() : List.copyOf(channels.byKey().values());
    }

    /** Channels whose records are pushed to an address rather than pulled. */
    public List<Service> pushChannels() {
        Channels channels = view();
        return channels == null ? List.of() : channels.byKey().values().stream().filter(s -> s.upstreamUrl() != null).toList();
    }

    /** What the platform may reach for an agency beyond public HTTPS addresses, or null: nothing more. */
    public @Nullable Egress egressOf(String agency) {
        Channels channels = view();
        return channels == null ? null : channels.egress().get(agency);
    }

    public boolean ready() {
        return view() != null;
    }

    @KafkaListener(id = "exchange-registry-view", groupId = "ndx-exchange-registry-view",
            topicPartitions = @TopicPartition(topic = Topics.REGISTRY,
                    partitionOffsets = @PartitionOffset(partition = "0", initialOffset = "0")))
    void onSnapshot(ConsumerRecord<String, byte @Nullable []> record) {
        apply(record.value(), name -> {
            Header header = record.headers().lastHeader(name);
            return header == null ? null : header.value();
        }, record.offset());
    }
}
