package vn.ndx.exchange.record;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import vn.ndx.contract.Problem;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.RegistrySnapshot.Service;
import vn.ndx.exchange.record.IdempotencyKeys.Claim;
import vn.ndx.exchange.record.RecordAcceptor.Submission;
import vn.ndx.exchange.Caller;

/**
 * Stores what a sender submits, one record or a batch alike: each record checked against its channel's
 * schema, its {@code Idempotency-Key} claimed (a retry gets the first transaction id and stores nothing new),
 * written to Kafka with the others in one acknowledged round, and each refusal counted as a transaction.
 * A key is released when its write fails, so a retry can claim it, and only then: a caller that goes away
 * does not end a write the producer has begun.
 */
@Component
class RecordIntake {

    /** One record as submitted: its bytes (stored as they are), its parsed form (checked), its transaction id. */
    record Item(String transactionId, byte[] payload, JsonNode parsed, @Nullable String idempotencyKey) {
    }

    /** What became of one record: stored (or stored before: replayed), or refused with a code, a detail and what to fix. */
    record Result(String transactionId, @Nullable ProblemCode refusal, String detail, boolean replayed, List<Problem.Error> errors) {

        static Result stored(String transactionId, boolean replayed) {
            return new Result(transactionId, null, "", replayed, List.of());
        }

        static Result refused(String transactionId, ProblemCode code, String detail, List<Problem.Error> errors) {
            return new Result(transactionId, code, detail, false, errors);
        }

        boolean isStored() {
            return refusal == null;
        }
    }

    private final RecordAcceptor acceptor;
    private final RefusalEvents refusals;
    private final IdempotencyKeys keys;
    private final RecordSchemas schemas;

    RecordIntake(RecordAcceptor acceptor, RefusalEvents refusals, IdempotencyKeys keys, RecordSchemas schemas) {
        this.acceptor = acceptor;
        this.refusals = refusals;
        this.keys = keys;
        this.schemas = schemas;
    }

    /** One result per item, in order, once Kafka has answered for every record written. */
    Mono<List<Result>> store(Caller caller, Service channel, String contentType, List<Item> items) {
        return schemas.check(channel, items.stream().map(Item::parsed).toList())
                .flatMap(violations -> store(caller, channel, contentType, items, violations));
    }

    private Mono<List<Result>> store(Caller caller, Service channel, String contentType, List<Item> items,
                                     List<List<Problem.Error>> violations) {
        var results = new ArrayList<@Nullable Result>(Collections.nCopies(items.size(), null));
        var toWrite = new ArrayList<Submission>();
        var writeIndexes = new ArrayList<Integer>();
        var claimed = new ArrayList<@Nullable String>();
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            var submission = new Submission(caller, channel, item.transactionId(), contentType, item.payload(),
                    RecordAcceptor.sha256(item.payload()), item.idempotencyKey());
            if (!violations.get(i).isEmpty()) {
                results.set(i, Result.refused(item.transactionId(), ProblemCode.SCHEMA_VIOLATION, "The record breaks "
                        + violations.get(i).size() + " rule(s) of the channel's schema: see errors", violations.get(i)));
                continue;
            }
            String scoped = item.idempotencyKey() == null ? null
                    : IdempotencyKeys.scoped(caller.agency(), caller.system(), item.idempotencyKey());
            Claim claim = scoped == null ? new Claim.Granted() : keys.claim(scoped, submission.digest());
            if (claim instanceof Claim.Granted) {
                toWrite.add(submission);
                writeIndexes.add(i);
                claimed.add(scoped);
            } else if (claim instanceof Claim.Replay replay) {
                results.set(i, Result.stored(replay.transactionId(), true));
            } else if (claim instanceof Claim.Reused) {
                results.set(i, Result.refused(item.transactionId(), ProblemCode.IDEMPOTENCY_KEY_REUSED,
                        "This Idempotency-Key was used for a different record; use a new key for a new record", List.of()));
            } else {
                results.set(i, Result.refused(item.transactionId(), ProblemCode.IDEMPOTENCY_KEY_IN_USE,
                        "A submission with this Idempotency-Key is being stored; retry in a moment", List.of()));
            }
        }
        Mono<List<@Nullable Throwable>> written = toWrite.isEmpty() ? Mono.just(List.of())
                : acceptor.acceptAll(toWrite).onErrorResume(error -> Mono.just(Collections.nCopies(toWrite.size(), error)));
        // settled once Kafka has answered, whether or not the caller still waits: a record the producer goes on
        // sending keeps its key claimed until then, so a retry cannot store it twice
        Mono<List<Result>> settled = written
                .map(outcomes -> {
                    for (int w = 0; w < toWrite.size(); w++) {
                        Submission submission = toWrite.get(w);
                        String scoped = claimed.get(w);
                        if (outcomes.get(w) == null) {
                            if (scoped != null) {
                                keys.remember(scoped, submission.transactionId(), submission.digest(), Instant.now());
                            }
                            results.set(writeIndexes.get(w), Result.stored(submission.transactionId(), false));
                        } else {
                            if (scoped != null) {
                                keys.release(scoped);
                            }
                            results.set(writeIndexes.get(w), Result.refused(submission.transactionId(), ProblemCode.SERVICE_UNAVAILABLE,
                                    "The record could not be stored; nothing was accepted, retry later", List.of()));
                        }
                    }
                    return List.<Result>copyOf(results);
                })
                // each refusal is a transaction, counted whether or not the caller still waits
                .flatMap(done -> Flux.range(0, done.size())
                        .filter(i -> !done.get(i).isStored())
                        .concatMap(i -> refusals.refused(done.get(i).transactionId(), caller, channel.agencyCode(), channel.systemCode(),
                                channel, done.get(i).refusal(), items.get(i).payload().length))
                        .then(Mono.just(done)))
                .cache();
        settled.subscribe(done -> { }, error -> { });
        return settled;
    }
}
