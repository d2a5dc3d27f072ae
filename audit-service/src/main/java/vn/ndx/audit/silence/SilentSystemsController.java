package vn.ndx.audit.silence;

import java.time.Instant;
import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import vn.ndx.audit.web.QueryNumbers;

/**
 * {@code GET /stats/silent-systems?minPerHour=60}: the consumer systems that went quiet (see
 * {@link SilentSystems}), for the operators' console. A system that usually calls less than {@code minPerHour}
 * times an hour at this time is never reported: its silence says nothing.
 */
@RestController
class SilentSystemsController {

    private final SilentSystems silent;

    SilentSystemsController(SilentSystems silent) {
        this.silent = silent;
    }

    @GetMapping("/stats/silent-systems")
    List<SilentSystems.Silent> silentSystems(@RequestParam(defaultValue = "60") String minPerHour) {
        return silent.at(Instant.now(), QueryNumbers.within("minPerHour", minPerHour, 1, 1_000_000));
    }
}
