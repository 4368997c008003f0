package dev.sco.orchestrator.platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

/** The API's JSON reading refuses coercions and reports where the bad value sits. */
class StrictJsonTest {

    record Item(String name, Integer count, Boolean flag, Colour colour) {
    }

    enum Colour { RED }

    record Holder(List<Item> items) {
    }

    private final ObjectMapper mapper = strictMapper();

    @Test
    void refusesScalarsOfTheWrongJsonType() {
        assertPath("{\"items\":[{\"name\":5}]}", "items[0].name");
        assertPath("{\"items\":[{}, {\"count\":\"5\"}]}", "items[1].count");
        assertPath("{\"items\":[{\"count\":2.5}]}", "items[0].count");
        assertPath("{\"items\":[{\"flag\":\"true\"}]}", "items[0].flag");
        assertPath("{\"items\":[{\"flag\":1}]}", "items[0].flag");
        assertPath("{\"items\":[{\"colour\":0}]}", "items[0].colour");
    }

    @Test
    void acceptsValuesOfTheRightType() throws Exception {
        Holder holder = mapper.readValue("{\"items\":[{\"name\":\"n\",\"count\":3,\"flag\":true,\"colour\":\"RED\"}]}",
                Holder.class);
        assertThat(holder.items()).containsExactly(new Item("n", 3, true, Colour.RED));
    }

    private void assertPath(String json, String path) {
        assertThatThrownBy(() -> mapper.readValue(json, Holder.class))
                .isInstanceOfSatisfying(JsonMappingException.class,
                        e -> assertThat(ApiExceptionHandler.jsonPath(e.getPath())).isEqualTo(path));
    }

    private static ObjectMapper strictMapper() {
        Jackson2ObjectMapperBuilder builder = new Jackson2ObjectMapperBuilder();
        new ApiWebConfiguration().strictApiJson().customize(builder);
        return builder.build();
    }
}
